import { CrestUsageError, ErrorCodes } from '../../errors';
import { loadZlib } from '../../builtins';

/** One log event of a CloudWatch Logs subscription payload. */
export interface LogStreamEvent {
  id: string;
  timestamp: number;
  message: string;
  /** Present when the subscription filter extracts fields. */
  extractedFields?: Record<string, string>;
}

/** A decoded CloudWatch Logs subscription payload (`DATA_MESSAGE`, or the `CONTROL_MESSAGE` probe). */
export interface LogStreamData {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: LogStreamEvent[];
  /** Set when the subscription is account-level or cross-account (centralized logging). */
  policyLevel?: string;
}

/** The event a Lambda subscribed to a log group receives. */
export interface LogStreamSubscriptionEvent {
  awslogs: { data: string };
}

/**
 * Decodes a CloudWatch Logs subscription event (`awslogs.data`: base64 of gzipped JSON),
 * synchronously, as Ridge's `DecodeLogStream` does. Throws a TypeError for anything else.
 *
 * @example
 * export const handler = (event: LogStreamSubscriptionEvent) => {
 *   for (const entry of decodeLogStream(event).logEvents) console.log(entry.message);
 * };
 */
export function decodeLogStream(event: unknown): LogStreamData {
  const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  if (typeof data !== 'string')
    throw new CrestUsageError(
      ErrorCodes.INVALID_LOG_EVENT,
      'Not a CloudWatch Logs subscription event: awslogs.data is missing.',
    );
  // node:zlib is loaded on first use: a handler that never decodes logs does not pay for it.
  const { gunzipSync } = loadZlib();
  const decoded: unknown = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  if (typeof decoded !== 'object' || decoded === null || !Array.isArray((decoded as LogStreamData).logEvents)) {
    throw new CrestUsageError(ErrorCodes.INVALID_LOG_EVENT, 'The CloudWatch Logs payload has no logEvents.');
  }
  return decoded as LogStreamData;
}
