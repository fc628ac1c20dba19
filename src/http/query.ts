import { ErrorCodes, HttpError } from '../errors';
import { nullObject } from './null-object';

/** A query string or form as a multimap: every key keeps all its values, in order. */
export type QueryMap = Record<string, string[]>;

/**
 * Parses `a=1&b=2&a=3` with application/x-www-form-urlencoded semantics (`+` is a space).
 * A malformed `%` sequence stays literal, as WHATWG URLSearchParams does; with `strict` it
 * is a 400 instead. The result inherits no keys, so `__proto__` is an ordinary key.
 */
export function parseQuery(query: string, strict = false): QueryMap {
  // Not Object.create(null): a dictionary-mode map made `GET /postal_code` (one key, read through
  // Object.keys by the query DTO) spend 6× longer here than the three-key `/search` (PROFILE.md §2).
  const result = nullObject<string[]>();
  const length = query.length;
  if (length === 0) return result;
  const decode = strict ? decodeFormComponentStrict : decodeFormComponent;
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
          if (encodedValue) value = decode(value);
        }
        if (encodedKey) key = decode(key);
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

/** Decodes one form component: `+` → space, then `%XX`; malformed escapes stay as they are. */
export function decodeFormComponent(text: string): string {
  if (text.indexOf('+') !== -1) text = text.replace(PLUS, ' ');
  return text.indexOf('%') === -1 ? text : decodeComponent(text);
}

function decodeFormComponentStrict(text: string): string {
  if (text.indexOf('+') !== -1) text = text.replace(PLUS, ' ');
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, 'The query string is not valid percent-encoded UTF-8.', { code: ErrorCodes.BAD_URL });
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
