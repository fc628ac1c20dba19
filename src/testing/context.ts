import { randomUUID } from 'node:crypto';
import type { LambdaRuntimeContext } from '../lambda/types';

export interface LambdaContextOptions extends Partial<Omit<LambdaRuntimeContext, 'getRemainingTimeInMillis'>> {
  /** The invocation's time budget in ms (default 30 000); `getRemainingTimeInMillis` counts it down. */
  timeoutMs?: number;
}

/**
 * A Lambda context object as the Node.js runtime passes it, its remaining time counting down
 * from `timeoutMs`.
 *
 * @example const result = await handler(restApiEvent({ url: '/users/1' }), lambdaContext());
 */
export function lambdaContext(options: LambdaContextOptions = {}): LambdaRuntimeContext {
  const { timeoutMs = 30_000, ...fields } = options;
  const deadline = Date.now() + timeoutMs;
  const functionName = fields.functionName ?? 'crest-test';
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    ...fields,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
