/**
 * Percent-encoding of the characters a URL part cannot carry literally. Transports hand the core
 * paths and queries as the platform delivered them: HTTP API decodes the path, and REST, ALB and
 * VPC Lattice pass through whatever bytes the client sent (`/x/あ/`); anything crest writes back
 * into a URL (a `Location`) or treats as an encoded path goes through here first.
 */

/** RFC 3986 `pchar` and `/` (§3.3): unreserved, sub-delims, `:` and `@`. `%` is decided apart. */
const PATH_CHARS = charTable("A-Za-z0-9-._~!$&'()*+,;=:@/");
/** RFC 3986 `query` (§3.4): path characters and `?`. */
const QUERY_CHARS = charTable("A-Za-z0-9-._~!$&'()*+,;=:@/?");

/**
 * A path with every character outside RFC 3986 `pchar` and `/` percent-encoded as UTF-8: space,
 * non-ASCII, `?`, `#`, quotes, controls. A `%` that starts a valid escape is kept; a bare one becomes
 * `%25`, unless `keepPercent` is set, which leaves every `%` for the router to judge (a path that
 * arrives encoded must stay a 400 when its escapes are malformed). A lone surrogate, which UTF-8
 * cannot carry, becomes U+FFFD as TextEncoder makes it.
 */
export function encodeUrlPath(path: string, keepPercent = false): string {
  return encodeUrlPart(path, PATH_CHARS, keepPercent);
}

/** A query string with every character outside RFC 3986 `query` percent-encoded (see {@link encodeUrlPath}). */
export function encodeUrlQuery(query: string): string {
  return encodeUrlPart(query, QUERY_CHARS, false);
}

function encodeUrlPart(text: string, allowed: Uint8Array, keepPercent: boolean): string {
  let start = 0;
  while (start < text.length && isLiteral(text, start, allowed, keepPercent)) start++;
  if (start === text.length) return text;
  let encoded = text.slice(0, start);
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isLiteral(text, i, allowed, keepPercent)) {
      encoded += text[i];
    } else if (code === 37 /* % */) {
      encoded += '%25';
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      encoded += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      encoded += '%EF%BF%BD';
    } else {
      encoded += encodeURIComponent(text[i]!);
    }
  }
  return encoded;
}

function isLiteral(text: string, index: number, allowed: Uint8Array, keepPercent: boolean): boolean {
  const code = text.charCodeAt(index);
  if (code === 37 /* % */) {
    return keepPercent || (isHex(text.charCodeAt(index + 1)) && isHex(text.charCodeAt(index + 2)));
  }
  return code < 128 && allowed[code] === 1;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A 128-entry table of the ASCII characters `spec` lists (`a-z` ranges and single characters). */
function charTable(spec: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let code = spec.charCodeAt(i); code <= spec.charCodeAt(i + 2); code++) table[code] = 1;
      i += 2;
    } else {
      table[spec.charCodeAt(i)] = 1;
    }
  }
  return table;
}
