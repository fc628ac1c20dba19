import type { ValidationIssues } from '../errors';
import type { HttpRequest } from '../http/request';
import type { HttpResponse } from '../http/response';
import type { RequestContext } from '../middleware/middleware';

// The shapes compiled code is made of, in a file of their own so that the compilers of each
// part (params, multipart, routes) import them without importing one another.

/** Reads one handler argument from the request; problems go in `issues`. */
export type ArgResolver = ((req: HttpRequest, issues: ValidationIssues) => unknown) & { readonly async?: boolean };

/** Runs a compiled route: arguments resolved, handler called, result mapped to a response. */
export type RouteInvoker = (req: HttpRequest, ctx: RequestContext | undefined) => HttpResponse | Promise<HttpResponse>;
