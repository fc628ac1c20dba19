import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openApiDocument } from 'crest/openapi';
import { createPostalApp } from '../app';
import { EmbeddedStore } from '../store/embedded-store';

/**
 * Run by `npm run lint:openapi`: writes the example's OpenAPI document to
 * build/openapi/example.json, where Redocly lints it (example/redocly.yaml). The document
 * depends on the routes only, so an empty store will do.
 */
export const OPENAPI_FILE = join(__dirname, '../../../openapi/example.json');

mkdirSync(join(OPENAPI_FILE, '..'), { recursive: true });
writeFileSync(OPENAPI_FILE, `${JSON.stringify(openApiDocument(createPostalApp(new EmbeddedStore([]))), null, 2)}\n`);
console.log(`${relative(process.cwd(), OPENAPI_FILE)} written`);
