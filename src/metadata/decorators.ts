import { CrestBootError, ErrorCodes } from '../errors';
import type { Middleware } from '../middleware/middleware';
import {
  controllerDocMetadata,
  controllerMetadata,
  handlerFor,
  markController,
  operationDocFor,
  type Class,
  type DocMetadata,
  type ParamKind,
  type ParamOptions,
  type ResponseSchemaMetadata,
  type RouteMethod,
  type TypeHint,
} from './metadata';

/**
 * Marks a class as a controller; every route path in it starts with `prefix`.
 *
 * @example @Controller('/users') class UsersController { @Get('/:id') show(@Param('id') id: number) {} }
 */
export function Controller(prefix = ''): ClassDecorator {
  return (target) => {
    controllerMetadata(target, true)!.prefix = prefix;
    markController(target);
  };
}

function route(method: RouteMethod) {
  return (path = ''): MethodDecorator =>
    (target, propertyKey) => {
      handlerFor(target.constructor, propertyKey).routes.push({ method, path });
    };
}

/** Routes GET requests (and HEAD, answered without a body) to the method. */
export const Get = route('GET');
export const Post = route('POST');
export const Put = route('PUT');
export const Patch = route('PATCH');
export const Delete = route('DELETE');
export const Head = route('HEAD');
export const Options = route('OPTIONS');
/** Routes every method not routed explicitly on the same path. */
export const All = route('ALL');

function param(
  kind: ParamKind,
  name: string | undefined,
  options: ParamOptions | TypeHint | undefined,
): ParameterDecorator {
  const normalized: ParamOptions =
    typeof options === 'function' || Array.isArray(options) ? { type: options } : (options ?? {});
  return (target, propertyKey, index) => {
    if (propertyKey === undefined)
      throw new CrestBootError(
        ErrorCodes.INVALID_DECORATOR,
        'crest parameter decorators belong on methods, not constructors.',
      );
    handlerFor(target.constructor, propertyKey).params.push({ index, kind, name, options: normalized });
  };
}

/** A path parameter, coerced to the parameter's type: `@Param('id') id: number`. */
export function Param(name: string, options?: ParamOptions): ParameterDecorator {
  return param('param', name, options);
}

/**
 * A query parameter (`@Query('q') q: string`, `@Query('tag', { type: [String] }) tags: string[]`),
 * or, without a name, the whole query validated as a DTO (`@Query() filter: SearchQuery`, or
 * `@Query(SearchQuery)` where the build emits no decorator metadata).
 */
export function Query(name?: string, options?: ParamOptions): ParameterDecorator;
export function Query(dto: Class): ParameterDecorator;
export function Query(nameOrDto?: string | Class, options?: ParamOptions): ParameterDecorator {
  return typeof nameOrDto === 'function' ? param('query', undefined, nameOrDto) : param('query', nameOrDto, options);
}

/** The request body; a DTO class type is validated with class-validator: `@Body() input: CreateUser`. */
export function Body(type?: TypeHint | ParamOptions): ParameterDecorator {
  return param('body', undefined, type);
}

/** A request header (name case-insensitive). */
export function Header(name: string, options?: ParamOptions): ParameterDecorator {
  return param('header', name.toLowerCase(), options);
}

/** A cookie value. */
export function Cookie(name: string, options?: ParamOptions): ParameterDecorator {
  return param('cookie', name, options);
}

/** The {@link HttpRequest}. */
export function Req(): ParameterDecorator {
  return param('req', undefined, undefined);
}

/** The transport's own objects: `{ source, request, response }` locally, `{ source, event, context }` on Lambda. */
export function Ctx(): ParameterDecorator {
  return param('ctx', undefined, undefined);
}

/**
 * What middleware left in `ctx.state` (the same object as `req.state`): one key, or the whole
 * object without a name. Handed over as it is, never coerced nor validated; the parameter's type
 * is the middleware's promise.
 *
 * @example
 * const auth: Middleware = async (ctx, next) => { ctx.state.user = await users.byToken(ctx.req.headers.authorization); return next(); };
 * @Get('/me') me(@State('user') user: User) { return user; }
 */
export function State(key?: string): ParameterDecorator {
  return param('state', key, undefined);
}

/** The status of responses made from the method's return value (default 200, or 204 for none). */
export function HttpCode(status: number): MethodDecorator {
  return (target, propertyKey) => {
    handlerFor(target.constructor, propertyKey).status = status;
  };
}

/**
 * Answers with a 504 problem when the handler (and its route middleware) has not answered
 * within `ms`; `req.signal` is aborted so the handler can stop. Overrides the app's `timeout`.
 */
export function Timeout(ms: number): MethodDecorator {
  return (target, propertyKey) => {
    handlerFor(target.constructor, propertyKey).timeout = ms;
  };
}

/** A header added to every response of the method (or of every method, on a class). */
export function SetHeader(name: string, value: string): MethodDecorator & ClassDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) controllerMetadata(target, true)!.headers.push([name, value]);
    else handlerFor(target.constructor, propertyKey).headers.push([name, value]);
  };
}

/** Middleware around the method (or every method, on a class), outermost first. */
export function Use(...middleware: Middleware[]): MethodDecorator & ClassDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    const list =
      propertyKey === undefined
        ? controllerMetadata(target, true)!.middleware
        : handlerFor(target.constructor, propertyKey).middleware;
    // Decorators apply bottom-up; unshift keeps the written order outermost-first.
    list.unshift(...middleware);
  };
}

/**
 * OpenAPI summary, description, tags, operationId, deprecation or hiding for a method (or, on a
 * controller, for all of its methods). Only read when a document is built.
 *
 * @example @Get('/:id') @Doc({ summary: 'One user', tags: ['users'] }) show(@Param('id') id: number) {}
 */
export function Doc(doc: DocMetadata): MethodDecorator & ClassDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    const recorded =
      propertyKey === undefined
        ? controllerDocMetadata(target, true)!
        : operationDocFor(target.constructor, propertyKey).doc;
    Object.assign(recorded, doc);
  };
}

/** Options of {@link ResponseSchema}. */
export type ResponseSchemaOptions = Omit<ResponseSchemaMetadata, 'type'>;

/**
 * Documents a response body of the method: a class-validator DTO (or an array of them), for
 * the method's status or another one. For the success status it is also the serializer: only
 * the DTO's declared properties are sent, like fastify's response schemas. Nothing is validated.
 * `null` documents a response without a body (a redirect); `mediaType` one the handler sets itself.
 *
 * @example @Get('/') @ResponseSchema(Address, { isArray: true }) list() { return this.store.all(); }
 * @example @Get('/export') @ResponseSchema(Address, { mediaType: 'application/x-ndjson' }) export() { … }
 */
export function ResponseSchema(type: Class | null, options: ResponseSchemaOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    // Decorators apply bottom-up; unshift keeps the written order.
    operationDocFor(target.constructor, propertyKey).responses.unshift({ type, ...options });
  };
}
