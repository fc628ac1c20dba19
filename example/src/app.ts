import { compress, createApp, etag, type App, type AppOptions } from 'crest';
import { openapi } from 'crest/openapi';
import { DemoController } from './controllers/demo-controller';
import { HealthController } from './controllers/health-controller';
import { PostalController } from './controllers/postal-controller';
import { PostalUploadController } from './controllers/postal-upload-controller';
import { docsOptions } from './docs';
import { guardStore } from './store/guard-store';
import type { PostalStore } from './store/postal-store';

/** The controllers the example serves, each built with the store. */
export const CONTROLLERS = [PostalController, PostalUploadController, HealthController, DemoController];

/**
 * The postal-code API under `/api`, reading from `store`. The same app serves `npm start`
 * (node:http), the Lambda handler and the tests.
 */
export function createPostalApp(store: PostalStore, options: Partial<AppOptions> = {}): App {
  const guarded = guardStore(store);
  const app = createApp({
    controllers: CONTROLLERS,
    prefix: '/api',
    // Controllers take the store in their constructor; crest builds them through this factory.
    factory: (controller) => new (controller as new (store: PostalStore) => object)(guarded),
    // The OpenAPI document at /api/openapi.json, Swagger UI at /api/docs.
    openapi: openapi(docsOptions()),
    // Pages of codes, the NDJSON export and the OpenAPI document compress 5-10×: HTTP APIs,
    // Function URLs and ALB send what the function returns, and ALB takes at most 1 MB of it.
    // compress() first, so etag() tags the uncompressed answer and a 304 compresses nothing.
    middleware: [compress(), etag()],
    // requestContext() for the store and the upload audit: their log lines carry the request id
    // without threading it through every call. Its price (crest's README, "A request's whole
    // life"): about 5 % per in-process request, more over node:http on a loaded machine. Worth
    // it where a log line must name its request; an app that logs nothing below its handlers
    // leaves it off.
    context: true,
    ...options,
  });
  // `npm start` on SIGTERM, the Lambda runtime on SIGTERM, `app.shutdown()` in tests: once the
  // requests and their waitUntil work are done, the Redis connection is closed (QUIT waits for
  // the replies still due); for the embedded store there is nothing to close.
  return app.onShutdown(() => store.close());
}
