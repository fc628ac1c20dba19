// crest/openapi: a separate entry, so an app that serves no documentation never loads or
// bundles it. Classes that must keep one identity (HttpResponse, HttpError, CrestBootError)
// come from the main entry; see the build script in package.json.
import type { RouteExtension } from '../core/core';
import type { Describable } from '../core/core';
import type { RouteDefinition } from '../compile/compile';
import { isLambdaEnvironment } from '../environment';
import { createOpenApiDocument } from './document';
import { createOpenApiRoutes, type OpenApiOptions } from './routes';
import type { InfoObject, OpenApiDocument } from './types';

export type { OpenApiOptions } from './routes';
export { DOCS_UI_FILES } from './ui-files';
export type * as OpenApi from './types';
export type { OpenApiDocument, InfoObject, ServerObject, TagObject } from './types';

// Keyed by the compiled routes: the same for an app and for its core, which the option sees while
// the app is built.
const documents = new WeakMap<readonly RouteDefinition[], OpenApiDocument>();

/** What {@link openapi} returns: the option `createApp` takes to serve the document. */
class OpenApiServing implements RouteExtension {
  constructor(readonly options: OpenApiOptions) {}

  routes(app: Describable): readonly RouteDefinition[] {
    // openApiDocument caches the document it builds: once, whenever that is.
    return createOpenApiRoutes(this.options, app.describe().prefix, () => openApiDocument(app));
  }

  check(app: Describable): void {
    // Built at the app's first use (before the first inject or listen, once run() listens) so
    // that a documentation mistake fails as a routing one does, without the start waiting for
    // it: building the document (schemas of every DTO) took 7 ms of the example's. Except in
    // the Lambda runtime, where the start is the function's cold start: there it is built when
    // first served. The same code runs in tests and locally first, where a mistake fails.
    if (!isLambdaEnvironment()) openApiDocument(app);
  }
}

/**
 * Serves the app's OpenAPI document (`/openapi.json`) and a Swagger UI page (`/docs`) under the
 * prefix.
 *
 * @example createApp({ controllers, prefix: '/api', openapi: openapi({ info: { title: 'Postal codes' } }) })
 */
export function openapi(options: OpenApiOptions = {}): RouteExtension {
  return new OpenApiServing(options);
}

/**
 * The app's OpenAPI 3.1 document, built from its compiled routes on the first call and cached;
 * `info` is merged over the configured one. Paths are relative to the prefix, given in `servers`.
 * Throws a `CrestBootError` for a duplicate explicit operationId.
 *
 * @example writeFileSync('openapi.json', JSON.stringify(openApiDocument(app, { version: pkg.version })));
 */
export function openApiDocument(app: Describable, info?: Partial<InfoObject>): OpenApiDocument {
  const { routes, controllers, prefix, openapi: extension } = app.describe();
  let document = documents.get(routes);
  if (document === undefined) {
    const options = extension instanceof OpenApiServing ? extension.options : {};
    document = createOpenApiDocument(
      { routes, controllers },
      {
        info: options.info,
        servers: options.servers ?? (prefix === '' ? undefined : [{ url: prefix }]),
        tags: options.tags,
      },
    );
    documents.set(routes, document);
  }
  return info === undefined ? document : { ...document, info: { ...document.info, ...info } };
}
