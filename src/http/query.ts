import { ErrorCodes, HttpError } from '../errors';

/** A query string or form as a multimap: every key keeps all its values, in order. */
export type QueryMap = Record<string, string[]>;

/**
 * Parses `a=1&b=2&a=3` with application/x-www-form-urlencoded semantics (`+` is a space).
 * A malformed `%` sequence stays literal, as WHATWG URLSearchParams does; with `strict` it
 * is a 400 instead. The result has no prototype, so `__proto__` is an ordinary key.
 */
export function parseQuery(query: string, strict = false): QueryMap {
  const decode = strict ? decodeFormComponentStrict : decodeFormComponent;
  const result: QueryMap = Object.create(null) as QueryMap;
  if (query.length === 0) return result;
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      let key: string;
      let value: string;
      if (eq === -1 || eq > end) {
        key = decode(query.slice(start, end));
        value = '';
      } else {
        key = decode(query.slice(start, eq));
        value = decode(query.slice(eq + 1, end));
      }
      const list = result[key];
      if (list === undefined) result[key] = [value];
      else list.push(value);
    }
    start = end + 1;
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
