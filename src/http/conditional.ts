/**
 * Whether an `If-None-Match` field value matches `etag` (RFC 9110 §13.1.2): `*`, or one of the
 * listed entity tags by the weak comparison (§8.8.3.2: the opaque tags are equal, `W/` or not on
 * either side). Entity tags are read as the grammar has them, `[W/]"…"`, so a comma inside the
 * quotes (allowed by `etagc`) does not split one; an entry that is not an entity tag matches
 * nothing. Linear in the header's length.
 */
export function ifNoneMatchMatches(header: string, etag: string): boolean {
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  const length = header.length;
  let at = 0;
  while (at < length) {
    const char = header.charCodeAt(at);
    if (char === COMMA || char === SPACE || char === TAB) {
      at++;
      continue;
    }
    if (char === STAR) return true;
    const start = header.startsWith('W/', at) ? at + 2 : at;
    const close = header.charCodeAt(start) === QUOTE ? header.indexOf('"', start + 1) : -1;
    if (close === -1) {
      // Not an entity tag: skip to the next entry.
      const comma = header.indexOf(',', at);
      if (comma === -1) return false;
      at = comma + 1;
      continue;
    }
    if (close - start + 1 === opaque.length && header.startsWith(opaque, start)) return true;
    at = close + 1;
  }
  return false;
}

/**
 * Whether a representation last modified at `lastModified` (an HTTP-date) is unchanged since
 * `ifModifiedSince` (RFC 9110 §13.1.3), to the second. An unreadable date on either side means
 * "changed": the full answer is never wrong.
 */
export function isUnmodifiedSince(lastModified: string, ifModifiedSince: string): boolean {
  // An HTTP-date has 29 characters (24 to 33 in the obsolete forms): nothing longer is parsed.
  if (ifModifiedSince.length > 64) return false;
  const modified = Date.parse(lastModified);
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(modified) || Number.isNaN(since)) return false;
  return Math.floor(modified / 1000) <= Math.floor(since / 1000);
}

const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const STAR = 0x2a;
const QUOTE = 0x22;
