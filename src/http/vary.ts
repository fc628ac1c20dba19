import type { HttpResponse } from './response';

/**
 * Adds a field name to `Vary` once, keeping what is there (RFC 9110 §12.5.5): however often the
 * same response passes through, and never beside a `*`, which already says "everything".
 */
export function addVary(response: HttpResponse, name: string): void {
  const current = response.headers.vary;
  const values = current === undefined ? [] : typeof current === 'string' ? [current] : current;
  const lower = name.toLowerCase();
  const present = values.some((value) =>
    value.split(',').some((part) => {
      const listed = part.trim().toLowerCase();
      return listed === lower || listed === '*';
    }),
  );
  if (!present) response.appendHeader('vary', name);
}
