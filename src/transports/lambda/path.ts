import { encodeUrlPath } from '../../http/uri';
import { stripPrefix } from '../../http/path';

/**
 * Re-escapes the path HTTP API hands over already decoded (`rawPath: "/capture/space value"`,
 * live capture) so the core receives an encoded path like every other source: space, non-ASCII,
 * `?`, `#` and a bare `%` become escapes. The path is never re-split on `?` or `#`, which would
 * turn part of it into a query or fragment (middleapi/standard-server PR #93, honojs/hono#2156).
 * What API Gateway decoded cannot be recovered: `%2F` already became `/`.
 */
export function escapeDecodedPath(path: string): string {
  return encodeUrlPath(path);
}

/**
 * A path that arrives encoded (Function URL `rawPath`), with only the characters a URL cannot
 * carry literally escaped: every `%` is kept, so `%zz` stays a 400 `CREST_BAD_URL` as on every
 * other source instead of becoming a literal `%25zz`.
 */
export function escapeEncodedPath(path: string): string {
  return encodeUrlPath(path, true);
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
