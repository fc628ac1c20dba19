import type { MediaTypeObject, SchemaObject } from './types';

/**
 * Media types whose body is a sequence of JSON texts, one per line or record: NDJSON, JSON
 * Lines, RFC 7464 json-seq. The body as a whole is not JSON, so its `schema` is a string and
 * each item's schema is given beside it.
 */
const SEQUENTIAL_JSON = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/json-seq',
]);

/** The media type entry of a documented response body of `type` sent as `mediaType`. */
export function mediaTypeFor(mediaType: string, schema: SchemaObject, type: unknown): MediaTypeObject {
  const bare = mediaType.split(';')[0]!.trim().toLowerCase();
  if (!SEQUENTIAL_JSON.has(bare)) return { schema };
  const name = typeof type === 'function' && type.name !== '' ? type.name : 'JSON value';
  return {
    schema: { type: 'string', description: `One ${name} as JSON per line.` },
    'x-itemSchema': schema,
  };
}
