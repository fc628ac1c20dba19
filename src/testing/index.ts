/**
 * `crest/testing`: Lambda events and contexts for tests of the Lambda path with plain mocha.
 *
 * @example
 * const handler = app.lambda();
 * const result = await handler(httpApiEvent({ url: '/users/1' }), lambdaContext());
 * expect(readLambdaResult(result, 'http-api').statusCode).to.equal(200);
 */
export {
  restApiEvent,
  httpApiEvent,
  functionUrlEvent,
  type RestApiEventOptions,
  type HttpApiEventOptions,
} from './api-gateway-events';
export { albEvent, type AlbEventOptions } from './alb-events';
export { latticeEvent } from './lattice-events';
export { lambdaContext, type LambdaContextOptions } from './context';
export { readLambdaResult, type ClientView, type ResultPlatform } from './result';
export type { TestRequest } from './request';
