import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../../../src/openapi';

/** One request as sent and the response as received on the wire. */
export interface Exchange {
  method: string;
  /** Path and query as sent (percent-encoded). */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

const DOCUMENT_ID = 'https://crest.invalid/openapi.json';

/** `~` and `/` escaped, as a JSON pointer segment (RFC 6901). */
function pointerSegment(text: string): string {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

interface Operation {
  pointer: string;
  responses: Record<string, unknown>;
}

/**
 * Checks exchanges against an OpenAPI 3.1 document the way a contract-testing proxy does (Prism
 * with `--errors`): the operation is found by method and path template, its response for the
 * status (never `default`: an undocumented status is a violation), the content type among the
 * response's media types, and the body validated with Ajv (JSON Schema 2020-12, formats on)
 * against the documented schema. NDJSON is validated line by line against `x-itemSchema`.
 *
 * HEAD and OPTIONS are not in the document (docs/openapi.md says why): HEAD must answer what
 * the GET documents, without a body; OPTIONS an empty 204.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  /** `base` is the path the document's server stands for (`/api`). */
  constructor(
    private readonly document: OpenApiDocument,
    private readonly base: string,
  ) {
    addFormats(this.ajv);
    this.ajv.addSchema(JSON.parse(JSON.stringify(document)) as object, DOCUMENT_ID);
    this.templates = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(
        `^${template
          .split(/(\{[^{}]+\})/)
          .map((part) =>
            part.startsWith('{')
              ? part === '{wildcard}'
                ? '.*'
                : '[^/]+'
              : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('')}$`,
      ),
    }));
  }

  /** What is wrong with one exchange; empty when the document describes it. */
  violations(exchange: Exchange): string[] {
    const where = `${exchange.method} ${exchange.url} → ${exchange.status}`;
    return this.check(exchange).map((violation) => `${where}: ${violation}`);
  }

  private check(exchange: Exchange): string[] {
    const method = exchange.method.toLowerCase();
    const path = exchange.url.split('?')[0]!;
    const relative = path === this.base ? '/' : path.startsWith(`${this.base}/`) ? path.slice(this.base.length) : null;
    const template = relative === null ? undefined : this.templates.find((t) => t.pattern.test(relative));
    const item = template === undefined ? undefined : this.document.paths[template.template];
    if (method === 'options' && item?.options === undefined) {
      return exchange.status === 204 && exchange.body.length === 0
        ? []
        : ['an automatic OPTIONS answer is an empty 204'];
    }
    const documented = method === 'head' && item?.head === undefined ? 'get' : method;
    const operation = item?.[documented as keyof typeof item];
    if (template === undefined || operation === undefined) {
      // No operation: only crest's own problems (404, 405, 400 for a malformed path) may answer.
      if (![400, 404, 405, 414].includes(exchange.status)) return ['no documented operation for this request'];
      return this.checkBody(exchange, '/components/responses/Problem', method === 'head');
    }
    const found: Operation = {
      pointer: `/paths/${pointerSegment(template.template)}/${documented}`,
      responses: operation.responses ?? {},
    };
    const status = String(exchange.status);
    if (found.responses[status] === undefined)
      return [`status ${status} is not documented (only default would admit it)`];
    return this.checkBody(exchange, `${found.pointer}/responses/${status}`, method === 'head');
  }

  private checkBody(exchange: Exchange, responsePointer: string, head: boolean): string[] {
    let pointer = responsePointer;
    let response = this.resolve(pointer) as { $ref?: string; content?: Record<string, Record<string, unknown>> };
    if (response.$ref !== undefined) {
      pointer = response.$ref.slice(1);
      response = this.resolve(pointer) as typeof response;
    }
    const content = response.content;
    if (content === undefined) {
      return exchange.body.length === 0 ? [] : [`a body was sent where ${pointer} documents none`];
    }
    const sent = (exchange.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const mediaType = Object.keys(content).find((documented) => mediaTypeMatches(documented, sent));
    if (mediaType === undefined) {
      return [`content type ${JSON.stringify(exchange.contentType)} is not one of ${Object.keys(content).join(', ')}`];
    }
    if (head) return exchange.body.length === 0 ? [] : ['a HEAD answer carried a body'];
    const mediaPointer = `${pointer}/content/${pointerSegment(mediaType)}`;
    const media = content[mediaType]!;
    const text = exchange.body.toString('utf8');
    if (media['x-itemSchema'] !== undefined) {
      const lines = text.split('\n');
      if (lines.pop() !== '') return ['an NDJSON body must end with a newline'];
      return lines.flatMap((line, i) =>
        this.validate(`${mediaPointer}/x-itemSchema`, parseJson(line), `line ${i + 1}`),
      );
    }
    if (media.schema === undefined || !isJsonMediaType(sent)) return [];
    return this.validate(`${mediaPointer}/schema`, parseJson(text), 'body');
  }

  /** Validates `value` against the schema at `pointer` in the document. */
  validate(pointer: string, value: unknown, what: string): string[] {
    let validator = this.validators.get(pointer);
    if (validator === undefined) {
      validator = this.ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      this.validators.set(pointer, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map(
      (error) => `${what}${error.instancePath} ${error.message ?? 'is invalid'} (${pointer}${error.schemaPath})`,
    );
  }

  private resolve(pointer: string): unknown {
    let node: unknown = this.document;
    for (const part of pointer.slice(1).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node;
  }
}

/** `application/json` against a sent `application/json`; `*\/*` and `text/*` as wildcards. */
function mediaTypeMatches(documented: string, sent: string): boolean {
  if (documented === '*/*') return true;
  if (documented.endsWith('/*')) return sent.startsWith(documented.slice(0, -1));
  return documented.toLowerCase() === sent;
}

function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/** The parsed JSON, or a marker no schema admits, so that a malformed body is a violation. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol('not JSON');
  }
}

/**
 * Every example in the document, checked against the schema beside it: media type `examples`
 * and `example`, parameter `example`, schema `examples`. Linters miss an example next to a
 * `$ref`; this does not.
 */
export function exampleViolations(document: OpenApiDocument): string[] {
  const contract = new Contract(document, '/');
  const violations: string[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${pointer}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.schema !== undefined) {
      const named = (record.examples ?? {}) as Record<string, { value?: unknown }>;
      for (const [name, example] of Object.entries(named)) {
        violations.push(...contract.validate(`${pointer}/schema`, example.value, `${pointer}/examples/${name}`));
      }
      if ('example' in record) violations.push(...contract.validate(`${pointer}/schema`, record.example, pointer));
    }
    if (Array.isArray(record.examples) && pointer.includes('/schema')) {
      record.examples.forEach((example: unknown, i) =>
        violations.push(...contract.validate(pointer, example, `${pointer}/examples/${i}`)),
      );
    }
    for (const [key, value] of Object.entries(record)) visit(value, `${pointer}/${pointerSegment(key)}`);
  };
  visit(document, '');
  return violations;
}
