import { stripPrefix } from '../routing/path';

/**
 * Characters a decoded path may hold that cannot stand literally in an encoded one: anything
 * outside RFC 3986 `pchar` and `/`, and a `%` that does not start an escape.
 */
const NEEDS_ESCAPE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]|%(?![0-9A-Fa-f]{2})/;
const KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/**
 * Re-escapes the path HTTP API hands over already decoded (`rawPath: "/capture/space value"`,
 * live capture) so the core receives an encoded path like every other source: space, non-ASCII,
 * `?`, `#` and a bare `%` become escapes. The path is never re-split on `?` or `#`, which would
 * turn part of it into a query or fragment (middleapi/standard-server PR #93, honojs/hono#2156).
 * What API Gateway decoded cannot be recovered: `%2F` already became `/`.
 */
export function escapeDecodedPath(path: string): string {
  if (!NEEDS_ESCAPE.test(path)) return path;
  let escaped = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    const code = path.charCodeAt(i);
    if (code === 37 /* % */) {
      escaped += isHex(path.charCodeAt(i + 1)) && isHex(path.charCodeAt(i + 2)) ? '%' : '%25';
    } else if (code < 128 && KEEP.test(char)) {
      escaped += char;
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(path.charCodeAt(i + 1))) {
      escaped += encodeURIComponent(char + path[i + 1]!);
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      escaped += '%EF%BF%BD'; // a lone surrogate cannot be UTF-8: U+FFFD, as TextEncoder does
    } else {
      escaped += encodeURIComponent(char);
    }
  }
  return escaped;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Removes an HTTP API named stage from `rawPath` (`/dev/users` → `/users` for stage `dev`), at a
 * segment boundary only. `$default` is never in the path, and neither is a stage reached through
 * a custom domain (API mappings hide it), so only the execute-api hostname gets stripped: there,
 * a route that happens to start with the stage name stays intact through a custom domain.
 */
export function stripStage(path: string, stage: string | undefined, domainName: string | undefined): string {
  if (stage === undefined || stage === '$default') return path;
  if (domainName !== undefined && !domainName.includes('.execute-api.')) return path;
  return stripPrefix(path, `/${stage}`) ?? path;
}

/** Removes a REST custom-domain base path (`basePath` option) at a segment boundary. */
export function stripBasePath(path: string, basePath: string): string {
  return basePath === '' ? path : (stripPrefix(path, basePath) ?? path);
}
