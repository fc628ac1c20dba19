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
