import { ErrorCodes, requestError } from '../errors';
import type { HttpRequest } from '../http/request';
import { HttpResponse } from '../http/response';
import type { Middleware, RequestContext } from './middleware';

/**
 * Chains middleware around `terminal`, outermost first. Every `next()` resolves to a response:
 * an error thrown below is turned into one by `onError` at the layer where it was thrown, so
 * outer middleware (CORS, logging) also decorates error responses.
 */
export function compose(
  middleware: readonly Middleware[],
  terminal: (ctx: RequestContext) => HttpResponse | Promise<HttpResponse>,
  onError: (error: unknown, req: HttpRequest) => HttpResponse,
): (ctx: RequestContext) => Promise<HttpResponse> {
  const layer = (index: number, ctx: RequestContext): Promise<HttpResponse> => {
    if (index === middleware.length) {
      try {
        return Promise.resolve(terminal(ctx)).catch((error: unknown) => onError(error, ctx.req));
      } catch (error) {
        return Promise.resolve(onError(error, ctx.req));
      }
    }
    let below: Promise<HttpResponse> | undefined;
    const next = (): Promise<HttpResponse> => (below ??= layer(index + 1, ctx));
    const answerOf = (response: HttpResponse | void): HttpResponse | Promise<HttpResponse> => {
      if (response instanceof HttpResponse) return response;
      if (response !== undefined) {
        throw requestError(ErrorCodes.NOT_A_RESPONSE, 'A middleware returned something other than an HttpResponse.');
      }
      if (below) return below;
      throw requestError(ErrorCodes.NO_RESPONSE, 'A middleware returned no response and did not call next().');
    };
    try {
      return Promise.resolve(middleware[index]!(ctx, next))
        .then(answerOf)
        .catch((error: unknown) => onError(error, ctx.req));
    } catch (error) {
      return Promise.resolve(onError(error, ctx.req));
    }
  };
  return (ctx) => layer(0, ctx);
}
