import { newRequestId } from '../../http/request';
import { stringAt } from './event-fields';
import type { LambdaRuntimeContext } from './types';

/** What every event converter needs besides the event. */
export interface EventConversion {
  context: LambdaRuntimeContext;
  /** The app's `bodyLimit`, checked against the decoded body. */
  bodyLimit: number;
  /** A REST API custom-domain base path to strip (`/v1`), or ''. */
  basePath: string;
  /** When Lambda will stop the invocation (epoch ms), from the context's remaining time. */
  deadline?: number;
}

/** The invocation deadline the core races handlers against, if the context tells it. */
export function invocationDeadline(context: LambdaRuntimeContext | undefined): number | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function'
    ? Date.now() + context.getRemainingTimeInMillis()
    : undefined;
}

/**
 * The request id of an invocation: the one API Gateway puts in the event (`requestContext.requestId`)
 * or, where the event has none (ALB, VPC Lattice), the invocation's `awsRequestId`. Never a value
 * a client can set: not `x-request-id`, and not ALB's `X-Amzn-Trace-Id`, whose `Root` ALB keeps
 * when the client sends one.
 */
export function invocationRequestId(eventRequestId: string | undefined, conversion: EventConversion): string {
  if (eventRequestId !== undefined && eventRequestId !== '') return eventRequestId;
  const awsRequestId = stringAt(conversion.context, 'awsRequestId');
  return awsRequestId !== undefined && awsRequestId !== '' ? awsRequestId : newRequestId();
}
