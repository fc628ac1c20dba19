import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenApiDocument } from '../../src/openapi';

/**
 * Checks a document against the official OpenAPI 3.1 JSON Schema, then what that schema
 * cannot express: every `$ref` resolves, every path template variable is a declared path
 * parameter (and back), and operationIds are unique.
 */
export async function expectValidOpenApi(document: OpenApiDocument): Promise<void> {
  const validator = new Validator();
  const copy = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  const result = await validator.validate(copy);
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).to.deep.equal([]);
  expect(result.valid).to.equal(true);
  expect(validator.version).to.equal('3.1');

  for (const ref of collectRefs(document)) {
    expect(resolvePointer(document, ref), `$ref ${ref}`).to.not.equal(undefined);
  }
  const ids = new Set<string>();
  for (const [template, item] of Object.entries(document.paths)) {
    const variables = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries(item)) {
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared, `${method} ${template}`).to.have.members(variables);
      expect(ids.has(operation.operationId!), `operationId ${operation.operationId}`).to.equal(false);
      ids.add(operation.operationId!);
    }
  }
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, refs);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.push(item);
      else collectRefs(item, refs);
    }
  }
  return refs;
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}
