import { join, resolve } from 'node:path';

/** One address as the example's API returns it. */
export interface Address {
  prefecture: string;
  locality: string;
  address: string;
}

export const POSTAL_CODE = /^\d{7}$/;
export const POSTAL_QUERY = 'code=1000001';

/** code → addresses, from the Japan Post data set exactly as the example loads it. */
export type PostalMap = ReadonlyMap<string, readonly Address[]>;

let loaded: PostalMap | undefined;

/**
 * The example's embedded data set, read with the example's own loader (compiled by the root
 * `npm run build:all` into build/example). Loaded once per server process, before it listens.
 */
export function postalMap(): PostalMap {
  if (loaded === undefined) {
    const module = join(resolve(__dirname, '../../../..'), 'build/example/src/postal/postal-data.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's compiled loader, outside bench's sources
    const { readPostalEntries } = require(module) as {
      readPostalEntries(): { code: string; addresses: readonly Address[] }[];
    };
    loaded = new Map(readPostalEntries().map((entry) => [entry.code, entry.addresses]));
  }
  return loaded;
}

/** What every peer answers for `GET /postal_code?code=…`: [status, body]. */
export function postalAnswer(code: unknown): [number, unknown] {
  if (typeof code !== 'string' || !POSTAL_CODE.test(code)) return [400, { error: 'code must be 7 digits' }];
  const addresses = postalMap().get(code);
  return addresses === undefined ? [404, { error: 'unknown postal code' }] : [200, { code, addresses }];
}
