/*
 * find-my-way refuses a route whose regex parameter could backtrack catastrophically, by asking
 * safe-regex2 5.1.2 (a star-height heuristic over the parse tree of `ret` 0.5.1). Through
 * find-my-way those two would put 14.5 kB of minified code into every ESM bundle of a crest app,
 * and run their module code at every cold start, for a check on the developer's own route
 * patterns at boot. crest's builds (scripts/build.mjs) bundle this function in their place
 * (through safe-regex2.cjs), so its verdicts must be safe-regex2's on every pattern:
 * test/routing/regex-safety.test.ts compares it with the real one.
 *
 * Hand-written, mirroring ret's tokenizer and safe-regex2's walk, quirks included (ret cannot
 * parse lookbehinds and refuses them; a lazy quantifier hides what it repeats from the walk).
 * Two linear passes (ret's escape decoding, then the tokens) and no regex of its own.
 */

/** safe-regex2's default `limit`: more repetitions than this in one pattern is unsafe. */
const REPETITION_LIMIT = 25;

/** What safe-regex2's walk sees under one token of ret's tree. */
interface TokenSummary {
  kind: 'leaf' | 'group' | 'repetition';
  /** Repetitions the walk visits at or under the token. */
  repetitions: number;
  /** The deepest nesting of those repetitions (the star height); 0 without any. */
  height: number;
}

/** A group (or the whole pattern) being read: its alternatives so far, and its last token. */
interface GroupFrame {
  repetitions: number;
  height: number;
  /** The last token of the current alternative, which a quantifier would repeat. */
  last: TokenSummary | null;
}

const LEAF: TokenSummary = { kind: 'leaf', repetitions: 0, height: 0 };

/**
 * The three regexes of find-my-way's own that it checks each time it is imported
 * (OPTIONAL_PARAM_REGEXP, ESCAPE_REGEXP, REMOVE_DUPLICATE_SLASHES_REGEXP). Their verdict never
 * changes, and analysing them would compile this module's code at every cold start for no
 * route: they are answered from this set. The test reads them from find-my-way's source and
 * checks that safe-regex2 calls each safe; a later find-my-way with other constants is merely
 * analysed.
 */
export const FIND_MY_WAY_OWN: ReadonlySet<string> = new Set([
  '(\\/:[^/()]*?)\\?(\\/?)',
  '[.*+?^${}()|[\\]\\\\]',
  '\\/\\/+',
]);

/**
 * Whether find-my-way would accept `re` as a route regex: exactly safe-regex2's verdict (false
 * for a star height above 1, more than 25 repetitions, or a pattern ret cannot parse).
 *
 * @example isRegexSafe(/^\d+$/) // true
 * @example isRegexSafe(/^(a+)+$/) // false
 */
export function isRegexSafe(re: RegExp | string): boolean {
  const source = typeof re === 'string' ? re : re.source;
  if (FIND_MY_WAY_OWN.has(source)) return true;
  const pattern = summarize(decodeEscapes(source));
  return pattern !== null && pattern.repetitions <= REPETITION_LIMIT && pattern.height <= 1;
}

/** `\cX` → the index of X here (ret's `util.strToChars` table). */
const CONTROL_LETTERS = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^ ?';
/** `\0 \t \n \v \f \r` → their character codes. */
const NAMED_ESCAPES: Readonly<Record<string, number>> = { '0': 0, t: 9, n: 10, v: 11, f: 12, r: 13 };
/** A decoded character that is one of these is put back escaped. */
const SPECIAL = '[]{}^$.|?*+()';

/**
 * ret's `util.strToChars`, the pass before its tokenizer: `[\b]`, `\uXXXX` and `\xXX` (upper-case
 * hex only), `\cX`, `\0 \t \n \v \f \r` become the character itself (escaped again when special),
 * unless the backslash is itself escaped. A decoded backslash (`\x5C`) then escapes what follows,
 * as it does in ret.
 */
function decodeEscapes(source: string): string {
  let decoded = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('[\\b]', i)) {
      decoded += '\b';
      i += 4;
      continue;
    }
    if (source[i] === '\\') {
      const afterEscapedBackslash = source[i + 1] === '\\' ? escapeLength(source, i + 2) : 0;
      if (afterEscapedBackslash > 0) {
        decoded += source.slice(i, i + 2 + afterEscapedBackslash);
        i += 2 + afterEscapedBackslash;
        continue;
      }
      const length = escapeLength(source, i + 1);
      if (length > 0) {
        const char = String.fromCharCode(escapedCode(source.slice(i + 1, i + 1 + length)));
        decoded += SPECIAL.includes(char) ? `\\${char}` : char;
        i += 1 + length;
        continue;
      }
    }
    decoded += source[i];
    i++;
  }
  return decoded;
}

/** The length of the escape body strToChars decodes at `at` (after a backslash), or 0. */
function escapeLength(source: string, at: number): number {
  switch (source[at]) {
    case 'u':
      return isUpperHex(source, at + 1, 4) ? 5 : 0;
    case 'x':
      return isUpperHex(source, at + 1, 2) ? 3 : 0;
    case 'c': {
      const letter = source[at + 1];
      return letter !== undefined && letter !== ' ' && CONTROL_LETTERS.includes(letter) ? 2 : 0;
    }
    default:
      return Object.hasOwn(NAMED_ESCAPES, source[at] ?? '') ? 1 : 0;
  }
}

function escapedCode(body: string): number {
  switch (body[0]) {
    case 'u':
    case 'x':
      return parseInt(body.slice(1), 16);
    case 'c':
      return CONTROL_LETTERS.indexOf(body[1]!);
    default:
      return NAMED_ESCAPES[body]!;
  }
}

function isUpperHex(source: string, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) {
    const code = source.charCodeAt(i);
    if (!(isDigitCode(code) || (code >= 65 && code <= 70))) return false;
  }
  return true;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isDigit(source: string, at: number): boolean {
  return isDigitCode(source.charCodeAt(at));
}

/** ret's capture group names: `[A-Za-z_$][A-Za-z0-9_$]*`. */
function isNameChar(char: string | undefined, first: boolean): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || char === '_' || char === '$';
  return letter || (!first && isDigitCode(code));
}

/**
 * ret's tokenizer, keeping of each token only what safe-regex2's walk counts; null where ret
 * throws.
 */
function summarize(source: string): TokenSummary | null {
  const open: GroupFrame[] = [];
  let frame: GroupFrame = { repetitions: 0, height: 0, last: null };
  const push = (token: TokenSummary): void => {
    settle(frame);
    frame.last = token;
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i++];
    switch (char) {
      case '\\':
        if (i === source.length) return null;
        // An escape is one token; a backreference's further digits, read into it by ret or not,
        // are leaves either way.
        i++;
        push(LEAF);
        break;
      case '[': {
        if (source[i] === '^') i++;
        const end = classEnd(source, i);
        if (end < 0) return null;
        i = end;
        push(LEAF);
        break;
      }
      case '(': {
        if (source[i] === '?') {
          const kind = source[i + 1];
          i += 2;
          if (kind === '<') {
            // A named group (ret reads `(?<=`, `(?<!` as one too, and refuses the name).
            if (!isNameChar(source[i], true)) return null;
            i++;
            while (i < source.length && isNameChar(source[i], false)) i++;
            if (source[i] !== '>') return null;
            i++;
          } else if (kind !== '=' && kind !== '!' && kind !== ':') {
            return null;
          }
        }
        settle(frame);
        open.push(frame);
        frame = { repetitions: 0, height: 0, last: null };
        break;
      }
      case ')': {
        const parent = open.pop();
        if (parent === undefined) return null;
        settle(frame);
        parent.last = { kind: 'group', repetitions: frame.repetitions, height: frame.height };
        frame = parent;
        break;
      }
      case '|':
        settle(frame);
        break;
      case '{': {
        const end = quantifierEnd(source, i);
        if (end < 0) {
          push(LEAF);
          break;
        }
        if (!repeatLast(frame)) return null;
        i = end;
        break;
      }
      case '?':
      case '+':
      case '*':
        if (!repeatLast(frame)) return null;
        break;
      default:
        push(LEAF);
    }
  }
  if (open.length > 0) return null;
  settle(frame);
  return { kind: 'group', repetitions: frame.repetitions, height: frame.height };
}

/** Adds the frame's last token to what its group holds. */
function settle(frame: GroupFrame): void {
  if (frame.last === null) return;
  frame.repetitions += frame.last.repetitions;
  frame.height = Math.max(frame.height, frame.last.height);
  frame.last = null;
}

/**
 * Wraps the last token in a repetition, or false when there is none ("Nothing to repeat"). The
 * walk enters a repeated group, but not a repeated repetition (ret's parse of a lazy `a*?`):
 * what that one holds is not counted.
 */
function repeatLast(frame: GroupFrame): boolean {
  const last = frame.last;
  if (last === null) return false;
  frame.last =
    last.kind === 'group'
      ? { kind: 'repetition', repetitions: last.repetitions + 1, height: last.height + 1 }
      : { kind: 'repetition', repetitions: 1, height: 1 };
  return true;
}

/**
 * The index after a character class's closing `]`, from `at` (after `[` or `[^`), or -1 when it
 * is unterminated: ret's `tokenizeClass` ends at the first `]` not escaped by a backslash.
 */
function classEnd(source: string, at: number): number {
  let i = at;
  while (i < source.length) {
    if (source[i] === ']') return i + 1;
    i += source[i] === '\\' && i + 1 < source.length ? 2 : 1;
  }
  return -1;
}

/** The index after a `{n}`, `{n,}` or `{n,m}` quantifier starting after `{` at `at`, or -1. */
function quantifierEnd(source: string, at: number): number {
  let i = at;
  while (isDigit(source, i)) i++;
  if (i === at) return -1;
  if (source[i] === ',') {
    i++;
    while (isDigit(source, i)) i++;
  }
  return source[i] === '}' ? i + 1 : -1;
}
