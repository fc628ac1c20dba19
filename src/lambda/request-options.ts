import type { LambdaRuntimeContext } from './types';

/** What every event converter needs besides the event. */
export interface EventConversion {
  context: LambdaRuntimeContext;
  /** The app's `bodyLimit`, checked against the decoded body. */
  bodyLimit: number;
  /** A REST API custom-domain base path to strip (`/v1`), or ''. */
  basePath: string;
}
