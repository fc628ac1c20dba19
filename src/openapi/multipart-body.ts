import type { RouteDefinition } from '../compile/compile';
import { builtinSchema, type SchemaRegistry } from './schema';
import type { Class } from '../metadata/metadata';
import type { RequestBodyObject, SchemaObject } from './types';

const BINARY: SchemaObject = { type: 'string', format: 'binary' };

/**
 * The request body of a route with `@UploadedFile(s)` or `@Multipart()`: `multipart/form-data`
 * with a binary property per file field (an array for `@UploadedFiles`), the text fields of its
 * `@Body()` DTO, and each field's accepted media types as its encoding (OpenAPI 3.1 §4.8.15).
 * Swagger UI shows a file input for each binary property. Undefined for a route that reads no
 * multipart body.
 */
export function multipartRequestBody(route: RouteDefinition, registry: SchemaRegistry): RequestBodyObject | undefined {
  if (route.multipart === undefined) return undefined;
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  const encoding: Record<string, { contentType: string }> = {};
  // Parameter decorators run last to first: document the fields in the order they are written.
  const order = route.params.map((param, index) => ({ param, type: route.paramTypes[index] }));
  order.sort((a, b) => a.param.index - b.param.index);
  for (const { param, type } of order) {
    if (param.kind === 'body' && typeof type === 'function' && builtinSchema(type) === undefined) {
      const shape = registry.shapeOf(type as Class);
      for (const [name, schema] of Object.entries(shape.properties)) properties[name] = structuredClone(schema);
      required.push(...shape.required);
    }
    if (param.kind !== 'file' && param.kind !== 'files') continue;
    const field = param.name!;
    const rule = route.multipart.fileFields.get(field)!;
    properties[field] =
      param.kind === 'file' ? { ...BINARY } : { type: 'array', items: { ...BINARY }, maxItems: rule.maxCount };
    if (param.upload?.required === true) required.push(field);
    if (rule.contentTypes !== undefined) encoding[field] = { contentType: rule.contentTypes.join(', ') };
  }
  const schema: SchemaObject = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  return {
    required: true,
    content: {
      'multipart/form-data': Object.keys(encoding).length > 0 ? { schema, encoding } : { schema },
    },
  };
}
