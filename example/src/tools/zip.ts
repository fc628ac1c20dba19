import { zipSync, type Zippable } from 'fflate';

/** A file to put in a zip archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  name: string;
  data: Uint8Array;
  /** Unix permission bits (default 0o644); Lambda needs its files world-readable. */
  mode?: number;
}

// fflate (a devDependency) rather than a writer of our own: no dependencies of its own, its own
// types, a synchronous API (the bundle tool has the whole archive in memory anyway) and per-file
// mtime, "made by" and attributes, which a reproducible Lambda zip needs. archiver and yazl are
// stream-based, and archiver brings a dozen packages.
const MADE_BY_UNIX = 3;
const REGULAR_FILE = 0o100000;
// 1980-01-01 00:00 local time, the earliest DOS date: zip stores local time, so this gives the
// same bytes in every time zone, and the same input always gives the same archive.
const FIXED_MTIME = new Date(1980, 0, 1);

/** A deflated zip archive of `entries`, byte for byte the same for the same entries. */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const files: Zippable = {};
  for (const { name, data, mode = 0o644 } of entries) {
    files[name] = [data, { os: MADE_BY_UNIX, attrs: ((REGULAR_FILE | mode) << 16) >>> 0 }];
  }
  const archive = zipSync(files, { level: 9, mtime: FIXED_MTIME });
  return Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
}
