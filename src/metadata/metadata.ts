import 'reflect-metadata';
import type { Middleware } from '../core/middleware';
import type { MultipartParserClass } from '../http/multipart';

/** Methods a route can be declared for; `ALL` stands for every method in {@link ALL_METHODS}. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'ALL';
export const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A class (a DTO, a controller). */
export type Class<T = unknown> = abstract new (...args: never[]) => T;
/** A parameter type: a constructor (`Number`, a DTO class) or a one-element array for lists. */
export type TypeHint = Class | [Class];

export type ParamKind = 'param' | 'query' | 'body' | 'header' | 'cookie' | 'req' | 'ctx' | 'file' | 'files';

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
}

export interface ControllerMetadata {
  prefix: string;
  headers: Array<[string, string]>;
  middleware: Middleware[];
}

const CONTROLLER = 'crest:controller';
const HANDLERS = 'crest:handlers';

/** Decorators only record: these two functions are the whole of their storage. */
export function controllerMetadata(target: object, create = false): ControllerMetadata | undefined {
  let metadata = Reflect.getOwnMetadata(CONTROLLER, target) as ControllerMetadata | undefined;
  if (metadata === undefined && create) {
    metadata = { prefix: '', headers: [], middleware: [] };
    Reflect.defineMetadata(CONTROLLER, metadata, target);
  }
  return metadata;
}

export function isController(target: object): boolean {
  return Reflect.hasOwnMetadata(`${CONTROLLER}:declared`, target);
}

export function markController(target: object): void {
  Reflect.defineMetadata(`${CONTROLLER}:declared`, true, target);
}

export function handlerMetadata(target: object): Map<string, HandlerMetadata> {
  let handlers = Reflect.getOwnMetadata(HANDLERS, target) as Map<string, HandlerMetadata> | undefined;
  if (handlers === undefined) {
    handlers = new Map();
    Reflect.defineMetadata(HANDLERS, handlers, target);
  }
  return handlers;
}

export function handlerFor(target: object, propertyKey: string | symbol): HandlerMetadata {
  if (typeof propertyKey === 'symbol') throw new TypeError('crest handlers must have string names');
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
  /** Errors the handler itself throws, by status, as problem responses: `{ 404: 'No such user' }`. */
  problems?: Record<number, string>;
}

/** What `@ResponseSchema` records: one documented response of an operation. */
export interface ResponseSchemaMetadata {
  /** A DTO class, or `String`, `Number`, `Boolean`, `Object` for plain bodies. */
  type: Class;
  /** Default: the method's `@HttpCode`, else 200. */
  status?: number;
  isArray?: boolean;
  description?: string;
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
  let doc = Reflect.getOwnMetadata(CONTROLLER_DOC, target) as DocMetadata | undefined;
  if (doc === undefined && create) {
    doc = {};
    Reflect.defineMetadata(CONTROLLER_DOC, doc, target);
  }
  return doc;
}

const NO_DOCS: ReadonlyMap<string, OperationDocMetadata> = new Map();

/** The documentation of every handler of a controller class, by method name (read only). */
export function operationDocMetadata(target: object): ReadonlyMap<string, OperationDocMetadata> {
  return (Reflect.getOwnMetadata(OPERATION_DOCS, target) as Map<string, OperationDocMetadata> | undefined) ?? NO_DOCS;
}

export function operationDocFor(target: object, propertyKey: string | symbol): OperationDocMetadata {
  if (typeof propertyKey === 'symbol') throw new TypeError('crest handlers must have string names');
  let docs = Reflect.getOwnMetadata(OPERATION_DOCS, target) as Map<string, OperationDocMetadata> | undefined;
  if (docs === undefined) {
    docs = new Map();
    Reflect.defineMetadata(OPERATION_DOCS, docs, target);
  }
  let entry = docs.get(propertyKey);
  if (entry === undefined) {
    entry = { doc: {}, responses: [] };
    docs.set(propertyKey, entry);
  }
  return entry;
}
