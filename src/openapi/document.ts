import { statusText } from '../http/protocol';
import { CrestBootError, ErrorCodes } from '../index';
import type { RouteDefinition } from '../compile/compile';
import {
  controllerDocMetadata,
  controllerMetadata,
  handlerMetadata,
  operationDocMetadata,
  type Class,
  type DocMetadata,
  type OperationDocMetadata,
  type ParamMetadata,
  type ParameterDoc,
  type ResponseSchemaMetadata,
} from '../metadata/metadata';
import { joinPaths } from '../http/path';
import { toPathTemplate, type PathTemplate } from './path-template';
import { PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMAS } from './problems';
import { ProblemResponses } from './problem-responses';
import { mediaTypeFor } from './media-types';
import { builtinSchema, SchemaRegistry } from './schema';
import type {
  InfoObject,
  OpenApiDocument,
  OperationObject,
  ParameterLocation,
  ParameterObject,
  PathMethod,
  RequestBodyObject,
  ResponseObject,
  ResponseOrRef,
  SchemaObject,
  ServerObject,
  TagObject,
} from './types';
import { multipartRequestBody } from './multipart-body';

/** What the document is built from: the app's compiled routes and the classes they came from. */
export interface DocumentSource {
  routes: readonly RouteDefinition[];
  controllers: readonly Class[];
}

export interface DocumentOptions {
  info?: Partial<InfoObject>;
  servers?: ServerObject[];
  /** Descriptions of the operations' tags. */
  tags?: TagObject[];
}

/** The methods an `@All()` route is documented under (HEAD and OPTIONS are answered, not designed). */
const ALL_DOCUMENTED: readonly PathMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

const DEFAULT_INFO: InfoObject = { title: 'API', version: '1.0.0' };

/** Where a route came from, to read the documentation decorators recorded on its class. */
interface RouteOrigin {
  controller: Class;
  doc: DocMetadata;
  operation: OperationDocMetadata | undefined;
}

/**
 * Builds an OpenAPI 3.1 document from compiled routes. Paths are relative to the app prefix,
 * which belongs in `servers`. Throws a {@link CrestBootError} for a duplicate explicit operationId.
 */
export function createOpenApiDocument(source: DocumentSource, options: DocumentOptions = {}): OpenApiDocument {
  const registry = new SchemaRegistry(structuredClone(PROBLEM_SCHEMAS));
  const problems = new ProblemResponses();
  const origins = indexOrigins(source.controllers);
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { ...DEFAULT_INFO, ...options.info },
    ...(options.servers === undefined ? {} : { servers: options.servers }),
    paths: {},
    components: { schemas: registry.schemas, responses: problems.components },
  };
  const explicit = new Set(source.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
  const ids = new OperationIds();
  const templates = new Templates();
  const tags: string[] = [];
  for (const route of source.routes) {
    const origin = origins.get(`${route.method} ${route.path}`);
    if (origin === undefined || origin.doc.hidden === true || origin.operation?.doc.hidden === true) continue;
    const path = templates.canonical(toPathTemplate(route.path));
    const methods =
      route.method === 'ALL'
        ? ALL_DOCUMENTED.filter((method) => !explicit.has(`${method.toUpperCase()} ${route.path}`))
        : [route.method.toLowerCase() as PathMethod];
    for (const method of methods) {
      const operation = createOperation(route, origin, path, registry, problems);
      operation.operationId = ids.claim(route, origin, route.method === 'ALL' ? method : undefined);
      for (const tag of operation.tags ?? []) if (!tags.includes(tag)) tags.push(tag);
      (document.paths[path.template] ??= {})[method] = operation;
    }
  }
  problems.components.Problem = {
    description: 'Any other error, as an RFC 9457 problem.',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  if (tags.length > 0) {
    document.tags = tags.map((name) => {
      const description = options.tags?.find((tag) => tag.name === name)?.description;
      return description === undefined ? { name } : { name, description };
    });
  }
  return document;
}

function indexOrigins(controllers: readonly Class[]): Map<string, RouteOrigin> {
  const origins = new Map<string, RouteOrigin>();
  for (const controller of controllers) {
    const prefix = controllerMetadata(controller)?.prefix ?? '';
    const doc = controllerDocMetadata(controller) ?? {};
    const operations = operationDocMetadata(controller);
    for (const handler of handlerMetadata(controller).values()) {
      for (const route of handler.routes) {
        // (method, path) is unique: the router refuses duplicates at boot.
        origins.set(`${route.method} ${joinPaths(prefix, route.path)}`, {
          controller,
          doc,
          operation: operations.get(handler.propertyKey),
        });
      }
    }
  }
  return origins;
}

function createOperation(
  route: RouteDefinition,
  origin: RouteOrigin,
  path: PathTemplate,
  registry: SchemaRegistry,
  problems: ProblemResponses,
): OperationObject {
  const doc = origin.operation?.doc ?? {};
  // Keys in the order the specification lists them, so the JSON reads naturally.
  const operation: OperationObject = { tags: doc.tags ?? origin.doc.tags ?? [defaultTag(origin.controller)] };
  if (doc.summary !== undefined) operation.summary = doc.summary;
  if (doc.description !== undefined) operation.description = doc.description;
  operation.operationId = '';

  const parameters = new Parameters();
  for (const param of path.params) {
    const index = route.params.findIndex((p) => p.kind === 'param' && p.name === param.name);
    const schema = index === -1 ? { type: 'string' } : scalarSchema(route.paramTypes[index], registry);
    if (param.pattern !== undefined && schema.type === 'string') schema.pattern = param.pattern;
    parameters.add({
      name: param.template,
      in: 'path',
      required: true,
      schema,
      ...(param.wildcard ? { description: 'The rest of the path; it may contain `/`.' } : {}),
    });
  }
  let body: RequestBodyObject | undefined;
  let validatesBody = false;
  let jsonBody = false;
  // Parameter decorators run last to first: document them in the order they are written.
  const order = route.params.map((param, index) => ({ param, type: route.paramTypes[index] }));
  order.sort((a, b) => a.param.index - b.param.index);
  for (const { param, type } of order) {
    if (param.kind === 'body') {
      body = requestBody(type, registry);
      validatesBody = builtinSchema(type) === undefined;
      jsonBody = validatesBody || type === Object || type === Array;
    } else if (param.kind === 'query' && param.name === undefined) {
      if (typeof type !== 'function' || builtinSchema(type) !== undefined) continue;
      const shape = registry.shapeOf(type as Class);
      for (const [name, schema] of Object.entries(shape.properties)) {
        parameters.add({ name, in: 'query', required: shape.required.includes(name), schema: structuredClone(schema) });
      }
    } else if (param.kind === 'query' || param.kind === 'header' || param.kind === 'cookie') {
      parameters.add(namedParameter(param, param.kind, type, registry));
    }
  }
  parameters.describe(doc.parameters ?? {}, `${route.controller}.${route.handler}`);
  if (parameters.list.length > 0) operation.parameters = parameters.list;
  // A route with file fields takes multipart/form-data (its @Body() DTO gives the text fields).
  const upload = multipartRequestBody(route, registry);
  if (upload !== undefined && route.multipart!.fileFields.size > 0) {
    // Its refusals are multipart's own (limits, file types), never a JSON body's.
    [body, validatesBody, jsonBody] = [upload, false, false];
  } else if (upload !== undefined) {
    // @Multipart() without file fields: its @Body() reads JSON and multipart text fields alike.
    const content = { ...body?.content, ...upload.content };
    body = body?.required === true ? { required: true, content } : { content };
  }
  if (body !== undefined) operation.requestBody = body;
  const responses = successResponses(route, origin.operation?.responses ?? [], registry);
  const inputs = route.params.some((param) => param.kind !== 'req' && param.kind !== 'ctx' && param.kind !== 'state');
  const problemResponses = problems.forOperation(
    {
      validated: inputs || path.params.length > 0,
      pathParams: path.params.length > 0,
      body: body !== undefined,
      jsonBody,
      dtoBody: validatesBody,
      multipart: upload !== undefined,
    },
    // A method's own entry for a status replaces its controller's.
    { ...origin.doc.problems, ...doc.problems },
  );
  for (const [status, response] of Object.entries(problemResponses)) responses[status] ??= response;
  responses.default = { $ref: '#/components/responses/Problem' };
  operation.responses = responses;
  if (doc.deprecated === true || (origin.doc.deprecated === true && doc.deprecated !== false)) {
    operation.deprecated = true;
  }
  return operation;
}

/** `UsersController` → `Users`: the default tag groups an operation with its controller's. */
function defaultTag(controller: Class): string {
  return controller.name.replace(/Controller$/, '') || controller.name || 'default';
}

/** The schema of a value that arrives as text (path, query, header, cookie). */
function scalarSchema(type: unknown, registry: SchemaRegistry): SchemaObject {
  if (type === Object || type === undefined) return { type: 'string' };
  if (type === Array) return { type: 'array', items: { type: 'string' } };
  return registry.schemaFor(type);
}

function namedParameter(
  param: ParamMetadata,
  location: ParameterLocation,
  type: unknown,
  registry: SchemaRegistry,
): ParameterObject {
  const parameter: ParameterObject = {
    name: param.name!,
    in: location,
    required: param.options.required === true,
    schema: scalarSchema(type, registry),
  };
  // A header list arrives comma-separated (or repeated).
  if (location === 'header' && parameter.schema.type === 'array') parameter.style = 'simple';
  return parameter;
}

function requestBody(type: unknown, registry: SchemaRegistry): RequestBodyObject {
  if (type === String) return { content: { 'text/plain': { schema: { type: 'string' } } } };
  if (type === Buffer || type === Uint8Array) {
    return { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
  }
  if (type === Object || type === Array) {
    return { content: { 'application/json': { schema: type === Array ? { type: 'array' } : {} } } };
  }
  return { required: true, content: { 'application/json': { schema: registry.schemaFor(type) } } };
}

function successResponses(
  route: RouteDefinition,
  documented: readonly ResponseSchemaMetadata[],
  registry: SchemaRegistry,
): Record<string, ResponseOrRef> {
  const fallback = route.status ?? 200;
  const responses: Record<string, ResponseOrRef> = {};
  for (const entry of documented) {
    const status = entry.status ?? fallback;
    responses[String(status)] = responseFor(entry, status, registry);
  }
  if (!documented.some((entry) => (entry.status ?? fallback) < 300)) {
    // Undocumented: a body of any type (what the handler returns decides it), or none.
    responses[String(fallback)] = responseFor({ type: Object, mediaType: '*/*' }, fallback, registry);
    if (route.status === undefined) responses['204'] = { description: 'No Content: the handler returned nothing.' };
  }
  return responses;
}

function responseFor(entry: ResponseSchemaMetadata, status: number, registry: SchemaRegistry): ResponseObject {
  const response: ResponseObject = { description: entry.description ?? statusText(status) };
  if (entry.type === null || status === 204 || status === 304) return response;
  const item = registry.schemaFor(entry.type);
  const schema = entry.isArray === true ? { type: 'array', items: item } : item;
  const mediaType =
    entry.mediaType ??
    (entry.type === String && entry.isArray !== true
      ? 'text/plain'
      : entry.type === Buffer || entry.type === Uint8Array
        ? 'application/octet-stream'
        : 'application/json');
  response.content = { [mediaType]: mediaTypeFor(mediaType, schema, entry.type) };
  return response;
}

/**
 * OpenAPI forbids two templates that differ only in parameter names (`/users/{id}` for GET,
 * `/users/{userId}` for DELETE), which find-my-way allows per method: the first one seen names
 * the parameters of every later one with the same shape.
 */
class Templates {
  private readonly byShape = new Map<string, PathTemplate>();

  canonical(path: PathTemplate): PathTemplate {
    const shape = path.template.replace(/\{[^{}]*\}/g, '{}');
    const first = this.byShape.get(shape);
    if (first === undefined) {
      this.byShape.set(shape, path);
      return path;
    }
    const params = path.params.map((param, i) => ({ ...param, template: first.params[i]!.template }));
    return { template: first.template, params };
  }
}

/** The parameters of an operation, unique by name and location as OpenAPI requires. */
class Parameters {
  readonly list: ParameterObject[] = [];
  add(parameter: ParameterObject): void {
    if (this.list.some((p) => p.name === parameter.name && p.in === parameter.in)) return;
    // A query list is the key repeated (`?code=a&code=b`), never `code=a,b`: said explicitly,
    // as form/explode are only the defaults, so tools that build requests (Dredd) get it right.
    if (parameter.in === 'query' && parameter.schema.type === 'array') {
      parameter.style = 'form';
      parameter.explode = true;
    }
    this.list.push(parameter);
  }

  /** Adds what `@Doc({ parameters })` says; naming a parameter the operation does not have fails. */
  describe(docs: Record<string, ParameterDoc>, owner: string): void {
    for (const [name, doc] of Object.entries(docs)) {
      const parameter = this.list.find((p) => p.name === name);
      if (parameter === undefined) {
        throw new CrestBootError(
          ErrorCodes.DOC_UNKNOWN_PARAMETER,
          `${owner}: @Doc({ parameters }) names '${name}', which is not a parameter of the operation.`,
        );
      }
      if (doc.description !== undefined) parameter.description = doc.description;
      if (doc.example !== undefined) parameter.example = doc.example;
    }
  }
}

/** Hands out unique operationIds: `Controller_method` by default, `@Doc({ operationId })` if given. */
class OperationIds {
  private readonly owners = new Map<string, string>();

  claim(route: RouteDefinition, origin: RouteOrigin, allMethod: string | undefined): string {
    const owner = `${route.controller}.${route.handler}`;
    const explicit = origin.operation?.doc.operationId;
    const base = `${explicit ?? `${route.controller}_${route.handler}`}${allMethod === undefined ? '' : `_${allMethod}`}`;
    const holder = this.owners.get(base);
    if (explicit !== undefined && holder !== undefined && holder !== owner) {
      throw new CrestBootError(
        ErrorCodes.DUPLICATE_OPERATION_ID,
        `${owner}: @Doc({ operationId: '${explicit}' }) is already the operationId of ${holder}.`,
      );
    }
    let id = base;
    // The same handler on several routes, or two controllers sharing a class name.
    for (let n = 2; this.owners.has(id); n++) id = `${base}_${n}`;
    this.owners.set(id, owner);
    return id;
  }
}
