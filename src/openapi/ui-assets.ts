import { existsSync, readFile } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCrypto, loadZlib } from '../builtins';
import { CrestBootError, ErrorCodes, HttpResponse } from '../index';
import { negotiateEncoding, type ContentCoding } from '../http/accept-encoding';
import { ifNoneMatchMatches } from '../http/conditional';
import type { HttpRequest } from '../http/request';
import { JS, UI_FILES } from './ui-files';

/**
 * node:fs's callback `readFile` as a promise: node:fs/promises would load seven more internal
 * modules at every start of a CommonJS bundle for a file read at the first docs page
 * served, and node:util's `promisify`, imported by an ES module, makes Node read every export of
 * node:util, which loads two more.
 */
function readFileAsync(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFile(path, (error, bytes) => (error ? reject(error) : resolve(bytes))));
}

/** A static file held in memory after its first read, with what conditional and gzip requests need. */
interface Asset {
  bytes: Buffer;
  gzipped: Buffer | undefined;
  type: string;
  etag: string;
}

/** The page's own script: a file rather than inline, so the page works under a strict CSP. */
export const INIT_SCRIPT = 'crest-docs.js';
const INIT_SOURCE = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

// The one coding kept precompressed (RFC 9110 §12.5.3 negotiation, as compress() does).
const GZIP: readonly ContentCoding[] = ['gzip'];

// Assets are fingerprinted by their ETag, but not their URLs: revalidate after a day.
const ASSET_CACHE = 'public, max-age=86400';

/**
 * Finds the swagger-ui-dist folder at boot: `dir` if given (a bundle that ships the files beside
 * itself), else the installed package. Only resolves a path; files are read on first request.
 */
export function resolveUiDir(dir: string | undefined): string {
  let resolved = dir;
  if (resolved === undefined) {
    try {
      resolved = dirname(require.resolve('swagger-ui-dist/package.json'));
    } catch {
      throw new CrestBootError(
        ErrorCodes.DOCS_UI_MISSING,
        'openapi.docsPath serves Swagger UI from the swagger-ui-dist package, which is not installed: ' +
          'run `npm install swagger-ui-dist`, give its files with openapi.uiDir, or set openapi.docsPath: false.',
      );
    }
  }
  if (!existsSync(join(resolved, 'swagger-ui-bundle.js'))) {
    throw new CrestBootError(ErrorCodes.DOCS_UI_MISSING, `openapi.uiDir: no swagger-ui-bundle.js in ${resolved}.`);
  }
  return resolved;
}

/** Serves the docs page's static files from memory; each file is read once, on first request. */
export class UiAssets {
  private readonly cache = new Map<string, Promise<Asset>>();

  constructor(private readonly dir: string) {}

  /** Whether `name` is one of the files the page uses. */
  has(name: string): boolean {
    return name === INIT_SCRIPT || Object.hasOwn(UI_FILES, name);
  }

  /** The response for one asset (304 when the client's copy is current); `name` must pass `has`. */
  async respond(name: string, req: HttpRequest): Promise<HttpResponse> {
    let asset = this.cache.get(name);
    if (asset === undefined) {
      asset = this.load(name);
      this.cache.set(name, asset);
      // A failed read (a file removed under us) is retried next time instead of cached.
      asset.catch(() => this.cache.delete(name));
    }
    return assetResponse(await asset, req, ASSET_CACHE);
  }

  private async load(name: string): Promise<Asset> {
    const bytes = name === INIT_SCRIPT ? Buffer.from(INIT_SOURCE) : await readFileAsync(join(this.dir, name));
    return createAsset(bytes, UI_FILES[name] ?? JS);
  }
}

/** Wraps bytes as a cacheable asset; text over 1 KiB is also kept gzipped. */
export function createAsset(bytes: Buffer, type: string): Asset {
  const textual = type.startsWith('text/') || type.startsWith('application/json');
  // The bundle is 1.7 MB: gzipped it fits an ALB's 1 MB Lambda response limit, even base64-encoded.
  // node:zlib and node:crypto load at the first asset served, not at every start (src/builtins.ts).
  const gzipped = textual && bytes.length > 1024 ? loadZlib().gzipSync(bytes) : undefined;
  const etag = `"${loadCrypto().createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  return { bytes, gzipped, type, etag };
}

/** One asset as a response: 304 on a matching If-None-Match, gzip when the client accepts it. */
export function assetResponse(asset: Asset, req: HttpRequest, cacheControl: string): HttpResponse {
  const gzip = asset.gzipped !== undefined && negotiateEncoding(req.headers['accept-encoding'], GZIP).coding === 'gzip';
  // Each encoding is its own representation with its own strong validator (RFC 9110 §8.8.3).
  const etag = gzip ? `${asset.etag.slice(0, -1)}-gzip"` : asset.etag;
  const headers: Record<string, string> = {
    etag,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  };
  if (asset.gzipped !== undefined) headers.vary = 'accept-encoding';
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatchMatches(ifNoneMatch, etag))
    return HttpResponse.empty({ status: 304, headers });
  if (gzip) headers['content-encoding'] = 'gzip';
  // Bytes, never a string: the transports send them untouched (Lambda base64-encodes them).
  const response = HttpResponse.binary(gzip ? asset.gzipped! : asset.bytes, { headers });
  return response.header('content-type', asset.type);
}
