import { nullObject } from './null-object';

/** A query string or form as a multimap: every key keeps all its values, in order. */
export type QueryMap = Record<string, string[]>;

/**
 * Parses `a=1&b=2&a=3` as the WHATWG application/x-www-form-urlencoded parser (URLSearchParams)
 * does: `+` is a space, a malformed `%` sequence stays literal, escaped bytes that are not UTF-8
 * become U+FFFD. Never a 400: REST APIs and VPC Lattice hand crest the query already decoded, so
 * a stricter rule could not hold on every transport. The result inherits no keys, so `__proto__`
 * is an ordinary key.
 */
export function parseQuery(query: string): QueryMap {
  // Not Object.create(null): a dictionary-mode map made `GET /postal_code` (one key, read through
  // Object.keys by the query DTO) spend 6× longer here than the three-key `/search` (PROFILE.md §2).
  const result = nullObject<string[]>();
  const length = query.length;
  if (length === 0) return result;
  // One pass over the char codes: where the pair starts, its first `=`, and whether the key or
  // the value holds a `+` or `%` (only those are decoded).
  let start = 0;
  let eq = -1;
  let encodedKey = false;
  let encodedValue = false;
  for (let i = 0; i <= length; i++) {
    const code = i === length ? 38 : query.charCodeAt(i);
    if (code === 38 /* & */) {
      if (i > start) {
        let key: string;
        let value: string;
        if (eq === -1) {
          key = query.slice(start, i);
          value = '';
        } else {
          key = query.slice(start, eq);
          value = query.slice(eq + 1, i);
          if (encodedValue) value = decodeFormComponent(value);
        }
        if (encodedKey) key = decodeFormComponent(key);
        const list = result[key];
        if (list === undefined) result[key] = [value];
        else list.push(value);
      }
      start = i + 1;
      eq = -1;
      encodedKey = false;
      encodedValue = false;
    } else if (code === 61 /* = */) {
      if (eq === -1) eq = i;
    } else if (code === 43 /* + */ || code === 37 /* % */) {
      if (eq === -1) encodedKey = true;
      else encodedValue = true;
    }
  }
  return result;
}

const PLUS = /\+/g;

/** Decodes one form component (a key or a value, no `&`) as {@link parseQuery} does. */
function decodeFormComponent(text: string): string {
  const spaced = text.indexOf('+') === -1 ? text : text.replace(PLUS, ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Malformed or not UTF-8 (rare): the platform's own WHATWG parser decides. Behind `_=`, the
    // component cannot be split again: it holds no `&`, and only the first `=` separates.
    return new URLSearchParams(`_=${text}`).get('_')!;
  }
}

/** `decodeURIComponent` that never throws: malformed or non-UTF-8 escapes are kept literally. */
export function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** Builds a query string from a multimap, each key and value percent-encoded. */
export function stringifyQuery(query: QueryMap): string {
  const parts: string[] = [];
  for (const key of Object.keys(query)) {
    const encodedKey = encodeURIComponent(key);
    for (const value of query[key]!) parts.push(`${encodedKey}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}
