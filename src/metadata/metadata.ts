import { reflectMetadata } from './reflect-metadata';
import { CrestBootError, ErrorCodes } from '../errors';
import type { Middleware } from '../middleware/middleware';
import type { MultipartParserClass } from '../http/multipart';

/** Methods a route can be declared for; `ALL` stands for every method in {@link ALL_METHODS}. */
/** Route and docs decorators key their handler by name: a `[Symbol()]` method has none. */
const symbolName = (): CrestBootError =>
  new CrestBootError(ErrorCodes.INVALID_DECORATOR, 'crest handlers must have string names.');

export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'ALL';
export const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A class (a DTO, a controller). */
export type Class<T = unknown> = abstract new (...args: never[]) => T;
/** A parameter type: a constructor (`Number`, a DTO class) or a one-element array for lists. */
export type TypeHint = Class | [Class];

export type ParamKind = 'param' | 'query' | 'body' | 'header' | 'cookie' | 'req' | 'ctx' | 'state' | 'file' | 'files';

export interface ParamOptions {
  /** The type to coerce or validate to, when decorator metadata is missing or too vague. */
  type?: TypeHint;
  /** A missing value is a validation problem (query, header, cookie). */
  required?: boolean;
}

export interface ParamMetadata {
  index: number;
  kind: ParamKind;
  name?: string;
  options: ParamOptions;
  /** What `@UploadedFile` / `@UploadedFiles` accept in their field. */
  upload?: UploadOptions;
  /** The multipart parser, recorded by the upload decorators (so only apps with uploads load it). */
  parser?: MultipartParserClass;
}

/** Options of `@UploadedFile` and `@UploadedFiles`: this field's own limits and media types. */
export interface UploadOptions {
  /** Largest file in bytes (default: the app's `multipart.fileSize`). */
  maxFileSize?: number;
  /** Most files in the field, for `@UploadedFiles` (default: the app's `multipart.files`). */
  maxCount?: number;
  /** Accepted media types or ranges (`['text/csv', 'image/*']`); others are a 415. Default: any. */
  contentTypes?: string[];
  /** A request without a file here is a validation problem (400). */
  required?: boolean;
}

export interface RouteMetadata {
  method: RouteMethod;
  path: string;
}

export interface HandlerMetadata {
  propertyKey: string;
  routes: RouteMetadata[];
  params: ParamMetadata[];
  status?: number;
  /** Milliseconds the handler may take before the request is answered with a 504. */
  timeout?: number;
  headers: Array<[string, string]>;
  middleware: Middleware[];
  /** `@Multipart()`: the parser the route reads multipart/form-data text fields with. */
  multipart?: MultipartParserClass;
}

export interface ControllerMetadata {
  prefix: string;
  headers: Array<[string, string]>;
  middleware: Middleware[];
  /** `@Multipart()` on the class: every method reads multipart/form-data text fields. */
  multipart?: MultipartParserClass;
}

const CONTROLLER = 'crest:controller';
const HANDLERS = 'crest:handlers';

/** Decorators only record: these two functions are the whole of their storage. */
export function controllerMetadata(target: object, create = false): ControllerMetadata | undefined {
  let metadata = reflectMetadata.getOwnMetadata(CONTROLLER, target) as ControllerMetadata | undefined;
  if (metadata === undefined && create) {
    metadata = { prefix: '', headers: [], middleware: [] };
    reflectMetadata.defineMetadata(CONTROLLER, metadata, target);
  }
  return metadata;
}

export function isController(target: object): boolean {
  return reflectMetadata.hasOwnMetadata(`${CONTROLLER}:declared`, target);
}

export function markController(target: object): void {
  reflectMetadata.defineMetadata(`${CONTROLLER}:declared`, true, target);
}

export function handlerMetadata(target: object): Map<string, HandlerMetadata> {
  let handlers = reflectMetadata.getOwnMetadata(HANDLERS, target) as Map<string, HandlerMetadata> | undefined;
  if (handlers === undefined) {
    handlers = new Map();
    reflectMetadata.defineMetadata(HANDLERS, handlers, target);
  }
  return handlers;
}

export function handlerFor(target: object, propertyKey: string | symbol): HandlerMetadata {
  if (typeof propertyKey === 'symbol') throw symbolName();
  const handlers = handlerMetadata(target);
  let handler = handlers.get(propertyKey);
  if (handler === undefined) {
    handler = { propertyKey, routes: [], params: [], headers: [], middleware: [] };
    handlers.set(propertyKey, handler);
  }
  return handler;
}

/** What `@Doc` records for an operation (or, on a controller, for all of its operations). */
export interface DocMetadata {
  summary?: string;
  description?: string;
  /** On a controller, these replace the default tag (the class name without `Controller`). */
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
  /** Leaves the operation (or the whole controller) out of the OpenAPI document. */
  hidden?: boolean;
  /**
   * Errors the handler itself throws, by status, as problem responses: `{ 404: 'No such user' }`,
   * or with the codes it sends, `{ 404: { description: 'No such user', codes: ['UNKNOWN_USER'] } }`.
   * On a controller, they apply to all its methods (a method's own entry for a status wins).
   */
  problems?: Record<number, string | ProblemDoc>;
  /** What code cannot say about a parameter, by name: `{ code: { example: '1000001' } }`. */
  parameters?: Record<string, ParameterDoc>;
}

/** A problem status an operation answers with, and the `code`s its problems carry. */
export interface ProblemDoc {
  description: string;
  /** The `code` values of the problems sent with this status; the schema admits only these. */
  codes?: string[];
}

/** Documentation of one parameter (path, query, header or cookie) that its type cannot give. */
export interface ParameterDoc {
  description?: string;
  /** A value a client may send, for docs pages and contract-testing tools that build requests. */
  example?: unknown;
}

/** What `@ResponseSchema` records: one documented response of an operation. */
export interface ResponseSchemaMetadata {
  /** A DTO class, or `String`, `Number`, `Boolean`, `Object`, `Uint8Array` for plain bodies; `null`: no body. */
  type: Class | null;
  /** Default: the method's `@HttpCode`, else 200. */
  status?: number;
  isArray?: boolean;
  description?: string;
  /**
   * The media type sent, when the handler picks it (`HttpResponse.stream`, `.binary`, `.text`):
   * `application/x-ndjson` documents a stream of one `type` per line. Default: from `type`.
   */
  mediaType?: string;
}

/** The documentation recorded for one handler. */
export interface OperationDocMetadata {
  doc: DocMetadata;
  responses: ResponseSchemaMetadata[];
}

const CONTROLLER_DOC = 'crest:doc';
const OPERATION_DOCS = 'crest:operation-docs';

/** The `@Doc` of a controller class; `create` makes it on first write. */
export function controllerDocMetadata(target: object, create = false): DocMetadata | undefined {
  let doc = reflectMetadata.getOwnMetadata(CONTROLLER_DOC, target) as DocMetadata | undefined;
  if (doc === undefined && create) {
    doc = {};
    reflectMetadata.defineMetadata(CONTROLLER_DOC, doc, target);
  }
  return doc;
}

const NO_DOCS: ReadonlyMap<string, OperationDocMetadata> = new Map();

/** The documentation of every handler of a controller class, by method name (read only). */
export function operationDocMetadata(target: object): ReadonlyMap<string, OperationDocMetadata> {
  return (
    (reflectMetadata.getOwnMetadata(OPERATION_DOCS, target) as Map<string, OperationDocMetadata> | undefined) ?? NO_DOCS
  );
}

export function operationDocFor(target: object, propertyKey: string | symbol): OperationDocMetadata {
  if (typeof propertyKey === 'symbol') throw symbolName();
  let docs = reflectMetadata.getOwnMetadata(OPERATION_DOCS, target) as Map<string, OperationDocMetadata> | undefined;
  if (docs === undefined) {
    docs = new Map();
    reflectMetadata.defineMetadata(OPERATION_DOCS, docs, target);
  }
  let entry = docs.get(propertyKey);
  if (entry === undefined) {
    entry = { doc: {}, responses: [] };
    docs.set(propertyKey, entry);
  }
  return entry;
}
