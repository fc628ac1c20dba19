import type { PostalEntry } from '../../src/postal/address';
import { readPostalEntries } from '../../src/postal/postal-data';
import { EmbeddedStore } from '../../src/store/embedded-store';

let entries: PostalEntry[] | undefined;
let store: EmbeddedStore | undefined;

/** The real data set, read once per test run. */
export function postalEntries(): PostalEntry[] {
  return (entries ??= readPostalEntries({}));
}

/** One embedded store over the real data set, shared by the test files (it is read-only). */
export function sharedEmbeddedStore(): EmbeddedStore {
  return (store ??= new EmbeddedStore(postalEntries()));
}

/** Codes of the data set that start with `prefix`, in order. */
export function codesWithPrefix(prefix: string): string[] {
  return postalEntries()
    .filter((entry) => entry.code.startsWith(prefix))
    .map((entry) => entry.code);
}
