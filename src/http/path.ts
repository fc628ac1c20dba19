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
 * The parameter names of a find-my-way pattern: `:id`, `:file.:ext`, `:id(^\\d+)`, and `*`
 * for a wildcard. `::` is an escaped literal colon.
 */
export function pathParamNames(pattern: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '(') {
      i = closingParen(pattern, i);
    } else if (char === '*') {
      names.push('*');
    } else if (char === ':') {
      if (pattern[i + 1] === ':') {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < pattern.length && /[\w$]/.test(pattern[end]!)) end++;
      names.push(pattern.slice(i + 1, end));
      i = end - 1;
    }
  }
  return names;
}

/**
 * Index of the `)` closing the regex group that opens at `start` (escapes and nesting aware), or
 * the pattern's length when it is never closed.
 */
export function closingParen(pattern: string, start: number): number {
  let depth = 0;
  for (let i = start; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return pattern.length;
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
