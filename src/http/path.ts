/** Joins a controller prefix and a route path: `/users` + `/:id` → `/users/:id`, `/users` + `/` → `/users`. */
export function joinPaths(...parts: string[]): string {
  let joined = '';
  for (const part of parts) {
    let start = 0;
    let end = part.length;
    while (start < end && part.charCodeAt(start) === 47 /* / */) start++;
    while (end > start && part.charCodeAt(end - 1) === 47 /* / */) end--;
    if (end > start) joined += `/${part.slice(start, end)}`;
  }
  return joined === '' ? '/' : joined;
}

/**
 * Strips an app prefix at a segment boundary: `/api` and `/api/x` match `/api`, `/apix` does not.
 * Returns null when the path is outside the prefix.
 */
export function stripPrefix(path: string, prefix: string): string | null {
  if (prefix === '') return path;
  if (!path.startsWith(prefix)) return null;
  if (path.length === prefix.length) return '/';
  return path.charCodeAt(prefix.length) === 47 /* / */ ? path.slice(prefix.length) : null;
}
