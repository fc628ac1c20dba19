import 'reflect-metadata';
import type { Middleware } from '../app/middleware';

/** Methods a route can be declared for; `ALL` stands for every method in {@link ALL_METHODS}. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'ALL';
export const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A class (a DTO, a controller). */
export type Class<T = unknown> = abstract new (...args: never[]) => T;
/** A parameter type: a constructor (`Number`, a DTO class) or a one-element array for lists. */
export type TypeHint = Class | [Class];

export type ParamKind = 'param' | 'query' | 'body' | 'header' | 'cookie' | 'req' | 'ctx';

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
