import { JSON_TYPE } from '../http/protocol';
import { CrestBootError, ErrorCodes, HttpError, HttpResponse } from '../index';
import type { HttpRequest } from '../http/request';
import type { RouteDefinition, RouteInvoker } from '../compile/compile';
import { joinPaths } from '../http/path';
import type { InfoObject, OpenApiDocument, ServerObject, TagObject } from './types';
import { assetResponse, createAsset, INIT_SCRIPT, resolveUiDir, UiAssets } from './ui-assets';

/**
 * `createApp({ openapi: openapi(options) })`: serve the app's OpenAPI document, and a Swagger UI page for it.
 * Paths are under the app prefix, like every route.
 *
 * @example createApp({ controllers, prefix: '/api', openapi: openapi({ info: { title: 'Postal codes', version: '1.0.0' } }) })
 */
export interface OpenApiOptions {
  /** Where the JSON document is served (default `/openapi.json`). */
  path?: string;
  /** Where the docs page is served (default `/docs`); its files are under `<docsPath>/`. `false`: no page. */
  docsPath?: string | false;
  /** Merged over the default `{ title: 'API', version: '1.0.0' }`. */
  info?: Partial<InfoObject>;
  /** Descriptions of tags, by name (the controllers' tags; others are left out). */
  tags?: TagObject[];
  /**
   * Default: the served document names its server relative to itself (`.`), which follows any
   * stage or base path; `openApiDocument(app)` names the prefix (`/api`). Set it for absolute URLs.
   */
  servers?: ServerObject[];
  /** A folder holding swagger-ui-dist's files, when the package cannot be resolved (a bundled Lambda). */
  uiDir?: string;
}

/** The routes that serve the document and the docs page; `document` is called once, at the first request. */
export function createOpenApiRoutes(
  options: OpenApiOptions,
  prefix: string,
  document: () => OpenApiDocument,
): RouteDefinition[] {
  const specPath = checkedPath('path', options.path ?? '/openapi.json');
  let spec: ReturnType<typeof createAsset> | undefined;
  const routes = [
    route(specPath, 'document', (req) => {
      spec ??= createAsset(Buffer.from(JSON.stringify(servedDocument(document(), specPath, options))), JSON_TYPE);
      return assetResponse(spec, req, 'no-cache');
    }),
  ];
  if (options.docsPath === false) return routes;

  const docsPath = checkedPath('docsPath', options.docsPath ?? '/docs');
  const assets = new UiAssets(resolveUiDir(options.uiDir));
  const title = options.info?.title ?? 'API';
  const page: RouteInvoker = (req) => docsPage(req, prefix + docsPath, prefix + specPath, title);
  routes.push(
    route(docsPath, 'page', page),
    route(`${docsPath}/:file`, 'asset', (req) => {
      const file = req.params.file ?? '';
      // `/docs/` reaches this route with an empty name: it is the page too.
      if (file === '') return page(req, undefined);
      if (!assets.has(file)) throw new HttpError(404, 'No such docs file.', { code: ErrorCodes.NOT_FOUND });
      return assets.respond(file, req);
    }),
  );
  return routes;
}

/**
 * The served copy names its server relative to itself (OpenAPI 3.1 §4.8.5: relative to where
 * the document is served), so "Try it out" reaches the API behind an API Gateway stage or a
 * base path mapping that the app never sees. `openApiDocument(app)` keeps the prefix instead.
 */
function servedDocument(document: OpenApiDocument, specPath: string, options: OpenApiOptions): OpenApiDocument {
  if (options.servers !== undefined) return document;
  const depth = segments(specPath).length - 1;
  const root = depth === 0 ? '.' : new Array<string>(depth).fill('..').join('/');
  return { ...document, servers: [{ url: root, description: 'This API, relative to this document' }] };
}

function checkedPath(name: string, path: string): string {
  const joined = joinPaths(path);
  if (!path.startsWith('/') || joined === '/' || /[:*(]/.test(joined)) {
    throw new CrestBootError(
      ErrorCodes.INVALID_OPTION,
      `openapi.${name} must be a static path below the root, like '/docs', got ${JSON.stringify(path)}.`,
    );
  }
  return joined;
}

function route(path: string, handler: string, invoke: RouteInvoker): RouteDefinition {
  return {
    method: 'GET',
    path,
    controller: 'crest.openapi',
    handler,
    params: [],
    paramTypes: [],
    status: undefined,
    invoke,
  };
}

/**
 * The page links its files and the document relatively, computed from the path the request
 * arrived on, so it works under any prefix, with or without a trailing slash, and behind an
 * API Gateway stage that the Lambda event's path leaves out.
 */
function docsPage(req: HttpRequest, pagePath: string, specPath: string, title: string): HttpResponse {
  const here = segments(req.rawPath);
  const directory = req.rawPath.endsWith('/') ? here : here.slice(0, -1);
  const base = relativePath(directory, [...segments(pagePath), '']);
  const spec = relativePath(directory, segments(specPath));
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(base)}swagger-ui.css">
<link rel="icon" type="image/png" href="${escapeHtml(base)}favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${escapeHtml(base)}favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui" data-url="${escapeHtml(spec)}"></div>
<script src="${escapeHtml(base)}swagger-ui-bundle.js" charset="utf-8"></script>
<script src="${escapeHtml(base)}${INIT_SCRIPT}" charset="utf-8"></script>
</body>
</html>
`;
  return HttpResponse.text(html, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
  });
}

function segments(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/** The relative URL from a directory to a path, both as segments (a trailing '' names the folder itself). */
function relativePath(from: string[], to: string[]): string {
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const relative = '../'.repeat(from.length - common) + to.slice(common).join('/');
  return relative === '' ? './' : relative;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
