import { createPostalApp } from './app';
import { storeFromEnv } from './store/store-from-env';

// Built once per Lambda instance (cold start), shared by every invocation it serves. LOG=1 logs
// JSON lines to CloudWatch, as `npm start` does locally.
const app = createPostalApp(storeFromEnv(), { logger: process.env.LOG === '1' });

/** API Gateway REST API (v1) and HTTP API (v2) events, ALB and buffered Function URLs. */
export const handler = app.lambda();

/** A Function URL with `InvokeMode: RESPONSE_STREAM` (template.yaml's StreamingFunction). */
export const streamingHandler = app.lambdaStreaming();
