import { isUtf8 } from 'node:buffer';
import { ErrorCodes, HttpError, requestError } from '../errors';

/**
 * How deep a JSON body may nest (arrays and objects counted alike). Deeper bodies are a 400
 * before anything recurses into them: class-transformer, class-validator, a compiled serializer
 * and `JSON.stringify` all recurse once per level, and a stack overflow in any of them would turn
 * the client's input into a 500, or make the fast DTO path accept what the slow one refuses.
 * 512 is far beyond any real document and far below what those libraries overflow at (about
 * 2,000 levels for class-transformer).
 */
export const MAX_JSON_DEPTH = 512;

/**
 * The keys a DTO declares at one level of a JSON body, for {@link scanJson}: each declared key
 * maps to the level of its value (a nested DTO, or each object of an array of them), or to null
 * where crest does not look inside.
 */
export interface JsonKeyLevel {
  readonly keys: ReadonlyMap<string, JsonKeyLevel | null>;
  /** The same keys in UTF-8: the scan compares bytes, and decodes only the keys it lists. */
  readonly encoded: ReadonlyArray<{ readonly key: string; readonly bytes: Uint8Array }>;
  /**
   * Whether a key `keys` does not hold is unknown (class-validator's whitelist refuses it), where
   * that depends on the key: class-transformer renames or drops some (`@Expose`, `@Exclude`).
   * Absent: every key `keys` does not hold is unknown.
   */
  readonly undeclared?: (key: string) => boolean;
  /** The property each key reaches where it is not the key's own name (for the paths of problems). */
  readonly properties?: ReadonlyMap<string, string>;
  /**
   * Where the level depends on a member of the object itself (a `@Type` with a discriminator):
   * the member, the levels of the names already resolved, and the resolver of another (the
   * member's string value, or undefined where it has none), asked a few times per body at most.
   * An object none of these describe is not looked inside.
   */
  readonly discriminated?: {
    readonly member: string;
    /** `member` in UTF-8. */
    readonly memberBytes: Uint8Array;
    readonly known: ReadonlyMap<string, JsonKeyLevel | null>;
    readonly resolve: (name: string | undefined) => JsonKeyLevel | null;
  };
  /** Any object here is refused whatever it holds (class-validator's `unknownValue`): no DTO describes it. */
  readonly unknownValue?: boolean;
}

/** Keys a body has that its DTO does not declare: the total and the first few, in body order. */
export interface UnknownJsonKeys {
  count: number;
  /**
   * The dotted path of the object holding the key (`''` at the top, `items.0`), and the key; or,
   * with `unknownValue`, the path of an object no DTO describes and an empty key.
   */
  first: Array<{ parent: string; key: string; unknownValue?: true }>;
}

/**
 * How many discriminator names one scan resolves beyond those already known (each costs a
 * `plainToInstance`); an object past them is not looked inside.
 */
const RESOLVED_NAMES = 64;

/**
 * What {@link scanJson} finds of the array a top-level key holds: its length, and its first items
 * as byte ranges, so that they can be parsed and validated on their own before the whole body is.
 */
export interface JsonItemSample {
  /** How many items to keep ranges of. */
  readonly wanted: number;
  /** How often the key occurs at the top level (JSON.parse keeps the last value). */
  occurrences: number;
  /** Whether the value of its last occurrence is an array. */
  isArray: boolean;
  /** The items of that array. */
  count: number;
  /** `[start, end)` of its first `wanted` items, whitespace around them included. */
  ranges: Array<[number, number]>;
  /**
   * `[start, end, index]` of items spread evenly over the rest of the array (at most
   * 2 × `wanted`, thinned as the array grows): bad items after good ones are found by sampling
   * them too, without keeping a range per item.
   */
  spread: Array<[number, number, number]>;
  /** The distance between two items of `spread`. */
  stride: number;
}

/** An empty {@link JsonItemSample} keeping the ranges of `wanted` first items (0: only the count). */
export function itemSample(wanted: number): JsonItemSample {
  return { wanted, occurrences: 0, isArray: false, count: 0, ranges: [], spread: [], stride: 1 };
}

/** What {@link scanJson} does besides counting unknown keys. */
export interface JsonScanOptions {
  samples?: ReadonlyMap<string, JsonItemSample>;
  maxKeys?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over a JSON body's bytes, before it is parsed: refuses nesting deeper than
 * {@link MAX_JSON_DEPTH} and, given a DTO's keys, counts the keys it does not declare (listing
 * the first `listed`), so that a body of a million unknown keys is refused without building it.
 * JSON.parse still decides whether the text is JSON; where the structure is broken the scan
 * gives up and returns undefined. Hand-written because no JSON library bounds depth or
 * reports keys without building the value.
 *
 * Options: `samples`, by top-level key (of `root`'s), are filled with the byte ranges of the
 * first items of the arrays those keys hold; an object of more than `maxKeys` members (a repeated
 * name counted each time) is a 400 `CREST_TOO_MANY_KEYS`.
 */
export function scanJson(
  bytes: Buffer,
  root: JsonKeyLevel | null,
  listed: number,
  { samples, maxKeys = Infinity }: JsonScanOptions = {},
): UnknownJsonKeys | undefined {
  const unknown: UnknownJsonKeys = { count: 0, first: [] };
  // The members read so far of each open object.
  const members: number[] = [];
  // The sample of the top-level key just read, then of the array it holds while the scan is in it.
  let sampleKey: JsonItemSample | undefined;
  let sampling: JsonItemSample | undefined;
  let itemStart = 0;
  // One entry per open container: the level of its keys (objects) or of its items (arrays).
  const levels: Array<JsonKeyLevel | null> = [];
  // For each open object screened by the class its member names: that member, and whether it
  // has been read (a second one, which JSON.parse would keep, is refused).
  const discriminators: Array<{ member: string; bytes: Uint8Array; seen: boolean } | undefined> = [];
  const isArray: boolean[] = [];
  // The current key of each open object, the current index of each open array (for paths).
  const segments: Array<string | number> = [];
  let valueLevel: JsonKeyLevel | null = root;
  let resolutions = RESOLVED_NAMES;
  let expectKey = false;
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      const top = levels.length - 1;
      if (expectKey && ++members[top]! > maxKeys) throw tooManyKeys(maxKeys);
      const level = expectKey ? levels[top]! : null;
      if (level === null) {
        i = stringEnd(bytes, i + 1);
        if (i === -1) return undefined;
        i++;
        expectKey = false;
        continue;
      }
      // A key of an object crest screens.
      let end = i + 1;
      let escaped = false;
      while (end < length && bytes[end] !== QUOTE) {
        if (bytes[end] === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      if (end >= length) return undefined;
      let key: string | undefined;
      if (escaped) {
        try {
          key = JSON.parse(bytes.toString('utf8', i, end + 1)) as string;
        } catch {
          return undefined;
        }
      } else {
        key = declaredKey(bytes, i + 1, end, level);
      }
      const watched = discriminators[top];
      if (watched !== undefined && (escaped ? key === watched.member : sameBytes(bytes, i + 1, end, watched.bytes))) {
        if (watched.seen) throw twoSubtypeNames(watched.member);
        watched.seen = true;
      }
      const child = key === undefined ? undefined : level.keys.get(key);
      if (child === undefined) {
        if (unknown.first.length < listed) {
          key ??= bytes.toString('utf8', i + 1, end);
          // Asked only while keys are listed: past them a key is counted unasked (the count may
          // then hold a key class-transformer drops; the refusal rests on the listed ones).
          if (level.undeclared === undefined || level.undeclared(key)) {
            unknown.count++;
            unknown.first.push({ parent: pathOf(segments, top), key });
          }
        } else {
          unknown.count++;
        }
        valueLevel = null;
      } else {
        valueLevel = child;
      }
      segments[top] = key === undefined ? '' : (level.properties?.get(key) ?? key);
      sampleKey = top === 0 && key !== undefined ? samples?.get(key) : undefined;
      if (sampleKey !== undefined) {
        sampleKey.occurrences++;
        sampleKey.isArray = false;
      }
      expectKey = false;
      i = end + 1;
      continue;
    }
    if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) {
      if (levels.length >= MAX_JSON_DEPTH) throw jsonTooDeep();
      const top = levels.length - 1;
      // An object's level comes from its key; an array's items share the array's level. The
      // DTO is the top-level object: a top-level array is no DTO at all.
      let level = top === -1 ? (byte === 0x7b ? root : null) : isArray[top] ? levels[top]! : valueLevel;
      let watched: (typeof discriminators)[number];
      if (byte === 0x7b && level?.discriminated !== undefined) {
        const { member, memberBytes, known, resolve } = level.discriminated;
        watched = { member, bytes: memberBytes, seen: false };
        const name = memberValue(bytes, i, member);
        const resolved = typeof name === 'string' ? known.get(name) : undefined;
        if (name === undefined) level = null;
        else level = resolved !== undefined ? resolved : resolutions-- > 0 ? resolve(name ?? undefined) : null;
        if (level?.unknownValue === true) {
          unknown.count++;
          if (unknown.first.length < listed) {
            unknown.first.push({ parent: pathOf(segments, top + 1), key: '', unknownValue: true });
          }
          level = null;
        }
        if (level === null) watched = undefined;
      }
      if (top === 0 && sampleKey !== undefined && byte === 0x5b) {
        sampling = sampleKey;
        sampling.isArray = true;
        sampling.count = 0;
        sampling.ranges.length = 0;
        sampling.spread.length = 0;
        sampling.stride = 1;
        itemStart = i + 1;
      }
      sampleKey = undefined;
      levels.push(level);
      discriminators.push(watched);
      members.push(0);
      isArray.push(byte === 0x5b);
      segments.push(0);
      expectKey = byte === 0x7b;
      valueLevel = byte === 0x5b ? level : null;
    } else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) {
      if (levels.length === 0) return undefined;
      if (sampling !== undefined && levels.length === 2) {
        if (sampling.count > 0 || !isBlank(bytes, itemStart, i)) endItem(sampling, itemStart, i);
        sampling = undefined;
      }
      levels.pop();
      discriminators.pop();
      members.pop();
      isArray.pop();
      segments.pop();
      expectKey = false;
    } else if (byte === 0x2c /* , */) {
      const top = levels.length - 1;
      if (top === -1) return undefined;
      if (isArray[top]) {
        segments[top] = (segments[top] as number) + 1;
        if (sampling !== undefined && top === 1) {
          endItem(sampling, itemStart, i);
          itemStart = i + 1;
        }
      } else {
        expectKey = true;
        sampleKey = undefined;
      }
    }
    i++;
  }
  return levels.length === 0 ? unknown : undefined;
}

function endItem(sample: JsonItemSample, start: number, end: number): void {
  const index = sample.count++;
  if (sample.ranges.length < sample.wanted) {
    sample.ranges.push([start, end]);
    return;
  }
  if (sample.wanted === 0 || (index - sample.wanted) % sample.stride !== 0) return;
  const { spread } = sample;
  spread.push([start, end, index]);
  if (spread.length > 2 * sample.wanted) {
    // Every other one, twice as far apart: O(1) per item over the whole array.
    let kept = 0;
    for (let k = 0; k < spread.length; k += 2) spread[kept++] = spread[k]!;
    spread.length = kept;
    sample.stride *= 2;
  }
}

/** Whether bytes `start`…`end` are JSON whitespace only (RFC 8259 §2). */
function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

/** The declared key spelled by bytes `start`…`end` (no escapes), compared without decoding. */
function declaredKey(bytes: Buffer, start: number, end: number, level: JsonKeyLevel): string | undefined {
  for (const { key, bytes: expected } of level.encoded) if (sameBytes(bytes, start, end, expected)) return key;
  return undefined;
}

/** Whether bytes `start`…`end` are `expected`. */
function sameBytes(bytes: Buffer, start: number, end: number, expected: Uint8Array): boolean {
  const length = end - start;
  if (expected.length !== length) return false;
  let i = 0;
  while (i < length && bytes[start + i] === expected[i]) i++;
  return i === length;
}

/**
 * How far into an object the scan looks for its discriminator before giving up on it (the object
 * is then not looked inside): without a bound, a recursive discriminated DTO nested 500 deep with
 * each member last would have every level read the whole rest of the body again.
 */
const MEMBER_LOOKAHEAD = 4_096;

/**
 * The value of member `name` of the object whose `{` is at `start`, read from the object's own
 * members (their values skipped): the string, null where the object has no such member or holds
 * another kind of value there (class-transformer then picks no subtype), undefined where the scan
 * cannot tell (an escaped string, a member past {@link MEMBER_LOOKAHEAD} bytes, broken JSON).
 */
function memberValue(bytes: Buffer, start: number, name: string): string | null | undefined {
  const end = Math.min(bytes.length, start + MEMBER_LOOKAHEAD);
  let depth = 0;
  let expectKey = false;
  // Whether the key just read (at depth 1) is `name`, and whether its value has begun.
  let matched = false;
  let i = start;
  while (i < end) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      const close = stringEnd(bytes, i + 1);
      if (close === -1) return undefined;
      if (depth === 1 && expectKey) {
        matched = bytes.toString('utf8', i + 1, close) === name;
        expectKey = false;
      } else if (depth === 1 && matched) {
        const value = bytes.toString('utf8', i + 1, close);
        return value.includes('\\') ? undefined : value;
      }
      i = close + 1;
      continue;
    }
    if (byte === 0x7b || byte === 0x5b) {
      if (depth === 1 && matched) return null;
      expectKey = ++depth === 1;
    } else if (byte === 0x7d || byte === 0x5d) {
      if (--depth === 0) return null;
    } else if (byte === 0x2c && depth === 1) {
      if (matched) return null;
      expectKey = true;
    }
    i++;
  }
  return undefined;
}

/** The index just past the string starting at `start` (after its opening quote), or -1. */
function stringEnd(bytes: Buffer, start: number): number {
  let quote = bytes.indexOf(QUOTE, start);
  while (quote !== -1) {
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = bytes.indexOf(QUOTE, quote + 1);
  }
  return -1;
}

function pathOf(segments: ReadonlyArray<string | number>, top: number): string {
  return segments.slice(0, top).join('.');
}

/**
 * A discriminated object naming its subtype twice: JSON.parse keeps the last, the scan read the
 * first, and RFC 8259 §4 leaves duplicate names to the receiver. Refused rather than guessed.
 */
function twoSubtypeNames(member: string): HttpError {
  return requestError(ErrorCodes.INVALID_JSON, `The request body has an object with "${member}" twice.`);
}

function tooManyKeys(maxKeys: number): HttpError {
  return requestError(ErrorCodes.TOO_MANY_KEYS, `The request body has an object of more than ${maxKeys} members.`);
}

function jsonTooDeep(): HttpError {
  return requestError(ErrorCodes.INVALID_JSON, `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
}

const FORBIDDEN_KEY = 'forbidden property name';

/** What the reviver throws: `parseJsonBody` turns it into its 400, apart from JSON's own SyntaxError. */
const poisonedKey = (): HttpError =>
  requestError(ErrorCodes.INVALID_JSON, `The request body is not valid JSON: ${FORBIDDEN_KEY}`);

/**
 * A `JSON.parse` reviver refusing the keys that poison prototypes once the value is merged or
 * copied elsewhere: `__proto__`, and a `constructor` object holding a `prototype` (what
 * secure-json-parse refuses; JSON.parse itself only makes them own properties). The reviver
 * sees keys decoded, so `"\u005f_proto__"` is caught too.
 */
function refusePoisonedKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw poisonedKey();
  if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) {
    throw poisonedKey();
  }
  return value;
}

/** Refuses an empty body, and bytes that are not UTF-8 (RFC 8259 §8.1: JSON text is UTF-8). */
export function checkJsonBytes(body: Buffer): void {
  if (body.length === 0) {
    throw requestError(ErrorCodes.BODY_REQUIRED, 'The request body is empty.');
  }
  // Decoding would silently turn invalid bytes into U+FFFD.
  if (!isUtf8(body)) {
    throw requestError(ErrorCodes.INVALID_JSON, 'The request body is not valid UTF-8.');
  }
}

/**
 * Parses a JSON request body. Refused with a 400: what {@link checkJsonBytes} refuses, nesting
 * deeper than {@link MAX_JSON_DEPTH}, invalid JSON, and prototype-poisoning keys.
 */
export function parseJsonBody(body: Buffer): unknown {
  checkJsonBytes(body);
  // A body shorter than two bytes per level cannot nest too deeply: most skip the scan.
  if (body.length > 2 * MAX_JSON_DEPTH) scanJson(body, null, 0);
  try {
    let text = body.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // A key can only spell __proto__ or constructor with those letters or a \u escape: most
    // bodies cannot, and parse without the (slower) reviver.
    const suspect = text.indexOf('proto') !== -1 || text.indexOf('constructor') !== -1 || text.indexOf('\\u') !== -1;
    return JSON.parse(text, suspect ? refusePoisonedKeys : undefined) as unknown;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const reason = error instanceof SyntaxError ? error.message : String(error);
    throw requestError(ErrorCodes.INVALID_JSON, `The request body is not valid JSON: ${reason}`);
  }
}
