import { reflectMetadata } from '../metadata/reflect-metadata';
import type { Middleware, RouteInfo } from '../middleware/middleware';
import { CrestBootError, ErrorCodes, validationError, type ValidationIssues } from '../errors';
import type { HttpRequest } from '../http/request';
import { HttpResponse, type JsonSerializer } from '../http/response';
import { JSON_TYPE } from '../http/protocol';
import { compose } from '../middleware/compose';
import { createArgResolver, isJsonType } from './params';
import type { ArgResolver, RouteInvoker } from './types';

export type { RouteInvoker } from './types';
import {
  controllerMetadata,
  handlerMetadata,
  isController,
  operationDocMetadata,
  type Class,
  type HandlerMetadata,
  type ParamMetadata,
  type ResponseSchemaMetadata,
  type RouteMethod,
} from '../metadata/metadata';
import { isDtoClass } from '../metadata/dto-metadata';
import { MissingTypes } from './missing-types';
import { joinPaths } from '../http/path';
import { compileSerializer } from './serializer';
import type { ValidationOptions } from './validation';
import type { MultipartLimits, MultipartPlan } from '../http/multipart';
import { createMultipartPlan, withMultipartForm } from './multipart';

/** setTimeout's largest delay; Node fires longer ones at once. */
export const MAX_TIMEOUT = 2 ** 31 - 1;

/** A route compiled at boot: everything the request path needs, nothing to look up. */
export interface RouteDefinition extends RouteInfo {
  method: RouteMethod;
  params: readonly ParamMetadata[];
  /** The parameter types after applying explicit types and metadata (OpenAPI reads them). */
  paramTypes: readonly unknown[];
  status: number | undefined;
  /** The handler timeout from `@Timeout`, if any. */
  timeout?: number;
  /** How the route reads a multipart/form-data body, if it reads one (node:http streams it with this). */
  multipart?: MultipartPlan;
  invoke: RouteInvoker;
}

export interface CompileOptions {
  validation: ValidationOptions;
  /** The app's multipart/form-data limits. */
  multipart: MultipartLimits;
  /** Builds a controller instance; `new Controller()` by default. */
  factory: (controller: Class) => object;
  /** Turns an error thrown inside route middleware into a response. */
  onError: (error: unknown, req: HttpRequest) => HttpResponse;
  /**
   * Compile each route when it is first matched instead of at boot (the Lambda runtime's cold
   * start), after running this check of the route (the boot checks that need the router).
   */
  compileOnFirstMatch?: (route: RouteDefinition) => void;
}

/** Compiles every decorated handler of `controllers` into route definitions. */
export function compileRoutes(controllers: readonly Class[], options: CompileOptions): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  const missing = new MissingTypes();
  for (const controller of controllers) {
    if (typeof controller !== 'function' || !isController(controller)) {
      throw new CrestBootError(
        ErrorCodes.NOT_A_CONTROLLER,
        `${describeClass(controller)} is not decorated with @Controller().`,
      );
    }
    const metadata = controllerMetadata(controller)!;
    const instance = options.factory(controller) as Record<string, unknown>;
    const docs = operationDocMetadata(controller);
    for (const handler of handlerMetadata(controller).values()) {
      const where = `${controller.name}.${handler.propertyKey}`;
      if (handler.routes.length === 0) {
        throw new CrestBootError(
          ErrorCodes.INVALID_ROUTE,
          `${where} has parameter or response decorators but no route decorator (@Get, @Post, …).`,
        );
      }
      const method = instance[handler.propertyKey];
      if (typeof method !== 'function') {
        throw new CrestBootError(ErrorCodes.INVALID_ROUTE, `${where} is not a method of the controller instance.`);
      }
      if (
        handler.status !== undefined &&
        !(Number.isInteger(handler.status) && handler.status >= 200 && handler.status <= 599)
      ) {
        throw new CrestBootError(
          ErrorCodes.INVALID_ROUTE,
          `${where}: @HttpCode(${String(handler.status)}) is not a status code.`,
        );
      }
      const timeout = handler.timeout;
      if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_TIMEOUT)) {
        throw new CrestBootError(
          ErrorCodes.INVALID_ROUTE,
          `${where}: @Timeout(${String(timeout)}) must be a whole number of ms from 1 to ${MAX_TIMEOUT}.`,
        );
      }
      const paramTypes = resolveParamTypes(controller, handler);
      const multipart = createMultipartPlan(
        where,
        handler.params,
        options.multipart,
        handler.multipart ?? metadata.multipart,
      );
      // What the handler's routes run: argument resolvers, result mapping and middleware. Its
      // missing types join the whole app's at boot; on a first match they are reported alone.
      const compile = (appMissing?: MissingTypes): ((info: RouteInfo) => RouteInvoker) => {
        const checked = appMissing ?? new MissingTypes();
        const resolvers = handler.params.map((param) =>
          createArgResolver(param, {
            where,
            designType: paramTypes[param.index],
            validation: options.validation,
            missing: checked,
          }),
        );
        const headers = checkHeaders(where, [...metadata.headers, ...handler.headers]);
        const responses = docs.get(handler.propertyKey)?.responses;
        for (const response of responses ?? []) if (isDtoClass(response.type)) checked.dto(response.type, 'response');
        if (appMissing === undefined) checked.throwIfAny();
        const mapped = createInvoker(
          method as (...args: unknown[]) => unknown,
          instance,
          handler.params,
          resolvers,
          createResultMapper(handler.status, headers, successSerializer(responses, handler.status ?? 200)),
        );
        const invoke = multipart === undefined ? mapped : withMultipartForm(multipart, mapped);
        const middleware = [...metadata.middleware, ...handler.middleware];
        return (info) => (middleware.length === 0 ? invoke : withMiddleware(middleware, invoke, info, options.onError));
      };
      // In the Lambda runtime the start is the cold start, and an invocation serves one route: a
      // route's argument resolvers, DTO plans, response mapping and middleware are compiled when
      // it is first matched, and the route's `invoke` is then replaced by what was compiled. Tests
      // and local runs compile every route here, so a route that cannot compile fails at boot,
      // before it is deployed; in Lambda it answers 500 with its boot error logged, as openapi()'s
      // document does. The checks above stay at boot everywhere: they cost next to nothing.
      const firstMatch = options.compileOnFirstMatch;
      let invokerFor = firstMatch ? undefined : compile(missing);
      for (const route of handler.routes) {
        const info: RouteInfo = {
          method: route.method,
          path: joinPaths(metadata.prefix, route.path),
          controller: controller.name,
          handler: handler.propertyKey,
        };
        // Written out, not spread from `info` and grown: a spread copy that gains properties is a
        // slower object for V8 to build, and every boot builds one per route.
        const definition: RouteDefinition = {
          method: route.method,
          path: info.path,
          controller: info.controller,
          handler: info.handler,
          params: handler.params,
          paramTypes: handler.params.map((param) => param.options.type ?? paramTypes[param.index]),
          status: handler.status,
          timeout: handler.timeout,
          multipart,
          invoke:
            invokerFor?.(info) ??
            ((req, ctx) => {
              firstMatch!(definition);
              return (definition.invoke = (invokerFor ??= compile())(info))(req, ctx);
            }),
        };
        routes.push(definition);
      }
    }
  }
  missing.throwIfAny();
  return routes;
}

function resolveParamTypes(controller: Class, handler: HandlerMetadata): unknown[] {
  const types = reflectMetadata.getMetadata(
    'design:paramtypes',
    controller.prototype as object,
    handler.propertyKey,
  ) as unknown[] | undefined;
  return types ?? [];
}

/**
 * Checks a route's @Param bindings against the parameter names the router found in its path
 * (find-my-way reads its own pattern syntax; crest does not parse it again).
 */
export function checkPathParams(route: RouteDefinition, inPath: readonly string[]): void {
  const where = `${route.controller}.${route.handler}`;
  const bound = new Set<string>();
  let seesRequest = false;
  for (const param of route.params) {
    if (param.kind === 'req' || param.kind === 'ctx') seesRequest = true;
    if (param.kind !== 'param') continue;
    if (!inPath.includes(param.name!)) {
      throw new CrestBootError(
        ErrorCodes.UNKNOWN_PARAM,
        `${where}: @Param('${param.name!}') does not appear in the route path '${route.path}'.`,
      );
    }
    bound.add(param.name!);
  }
  if (seesRequest) return;
  for (const name of inPath) {
    if (!bound.has(name)) {
      throw new CrestBootError(
        ErrorCodes.UNBOUND_PARAM,
        `${where}: the path parameter ':${name}' of '${route.path}' has no @Param('${name}') (or @Req()) to receive it.`,
      );
    }
  }
}

function checkHeaders(where: string, headers: Array<[string, string]>): Array<[string, string]> {
  const probe = new HttpResponse();
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'set-cookie') {
      throw new CrestBootError(
        ErrorCodes.INVALID_ROUTE,
        `${where}: @SetHeader('${name}') would bypass the cookie list; return HttpResponse…cookie() instead.`,
      );
    }
    try {
      probe.header(name, value);
    } catch (error) {
      throw new CrestBootError(ErrorCodes.INVALID_ROUTE, `${where}: @SetHeader: ${(error as Error).message}.`);
    }
  }
  return headers.map(([name, value]) => [name.toLowerCase(), value]);
}

function createInvoker(
  method: (...args: unknown[]) => unknown,
  instance: object,
  params: readonly ParamMetadata[],
  resolvers: readonly ArgResolver[],
  toResponse: (value: unknown) => HttpResponse,
): RouteInvoker {
  const count = params.length === 0 ? 0 : Math.max(...params.map((param) => param.index)) + 1;
  const positions = params.map((param) => param.index);
  const then = (value: unknown) => toResponse(value);
  if (resolvers.some((resolver) => resolver.async === true)) {
    // A DTO with asynchronous constraints: its argument is awaited, in parameter order so that
    // issues keep that order, before the handler runs.
    return async (req) => {
      const args = new Array<unknown>(count);
      const issues: ValidationIssues = [];
      for (let i = 0; i < resolvers.length; i++) {
        const resolver = resolvers[i]!;
        const value = resolver(req, issues);
        args[positions[i]!] = resolver.async === true ? await value : value;
      }
      if (issues.length > 0) throw validationError(issues);
      const result = method.apply(instance, args);
      return isThenable(result) ? (result as Promise<unknown>).then(then) : toResponse(result);
    };
  }
  // Hot path: no closures or arrays beyond the argument list itself.
  return (req) => {
    let result: unknown;
    if (count === 0) {
      result = method.call(instance);
    } else {
      const args = new Array<unknown>(count);
      const issues: ValidationIssues = [];
      for (let i = 0; i < resolvers.length; i++) args[positions[i]!] = resolvers[i]!(req, issues);
      if (issues.length > 0) throw validationError(issues);
      result = method.apply(instance, args);
    }
    return isThenable(result) ? (result as Promise<unknown>).then(then) : toResponse(result);
  };
}

/** The compiled serializer of the `@ResponseSchema` DTO documented for the success status, if any. */
function successSerializer(
  responses: readonly ResponseSchemaMetadata[] | undefined,
  status: number,
): JsonSerializer | undefined {
  const documented = responses?.find((response) => (response.status ?? status) === status);
  // String, Number and the like have no class-validator rules: compileSerializer gives undefined.
  // A body the handler sends in another media type (an NDJSON stream) is not JSON-serialized.
  if (
    documented?.type == null ||
    (documented.mediaType !== undefined && !isJsonType(documented.mediaType.split(';')[0]!.trim().toLowerCase()))
  ) {
    return undefined;
  }
  // Compiled on the route's first answer, not at boot: it cannot fail (missing types are found
  // at boot above), and a Lambda cold start then pays only for the route it serves.
  const { type, isArray } = documented;
  let serialize: JsonSerializer | undefined;
  return (value) => (serialize ??= compileSerializer(type, isArray === true) ?? JSON.stringify)(value);
}

/** Maps a handler's return value to a response, applying `@HttpCode`, `@SetHeader` and the response schema. */
function createResultMapper(
  status: number | undefined,
  headers: Array<[string, string]>,
  serialize: JsonSerializer | undefined,
): (value: unknown) => HttpResponse {
  const init = status === undefined ? undefined : { status };
  const withHeaders = (response: HttpResponse): HttpResponse => {
    for (const [name, value] of headers) if (response.headers[name] === undefined) response.headers[name] = value;
    return response;
  };
  const map = (value: unknown): HttpResponse => {
    if (value instanceof HttpResponse) return value;
    if (value === undefined) return HttpResponse.empty(init);
    if (typeof value === 'string') return HttpResponse.text(value, init);
    if (value instanceof Uint8Array) return HttpResponse.binary(value, init);
    if (isAsyncIterable(value)) return HttpResponse.stream(value, init);
    return new HttpResponse({ kind: 'json', value, serialize }, init, JSON_TYPE);
  };
  return headers.length === 0 ? map : (value) => withHeaders(map(value));
}

function withMiddleware(
  middleware: readonly Middleware[],
  invoke: RouteInvoker,
  route: RouteInfo,
  onError: (error: unknown, req: HttpRequest) => HttpResponse,
): RouteInvoker {
  const run = compose(middleware, (ctx) => invoke(ctx.req, ctx), onError);
  return (req, ctx) => run(ctx ?? { req, route, state: req.state });
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

function describeClass(value: unknown): string {
  return typeof value === 'function' ? `Class ${value.name || '(anonymous)'}` : `${String(value)} (a ${typeof value})`;
}
