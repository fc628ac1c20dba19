import {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  latticeEvent,
  restApiEvent,
  type ResultPlatform,
  type TestRequest,
} from '../../../src/testing';

/** A buffered Lambda event source: how a request becomes its event, and how the platform reads the result. */
export interface BufferedSource {
  name: string;
  platform: ResultPlatform;
  event: (request: TestRequest) => object;
}

/** Every buffered Lambda event source, in the order the suites list them. */
export const BUFFERED_SOURCES: readonly BufferedSource[] = [
  { name: 'REST API (v1)', platform: 'rest-api', event: (r) => restApiEvent(r) },
  { name: 'HTTP API (v2)', platform: 'http-api', event: (r) => httpApiEvent(r) },
  { name: 'Function URL', platform: 'function-url', event: (r) => functionUrlEvent(r) },
  { name: 'ALB single-value', platform: 'alb-single', event: (r) => albEvent(r) },
  { name: 'ALB multi-value', platform: 'alb-multi', event: (r) => albEvent(r, { multiValueHeaders: true }) },
  { name: 'VPC Lattice', platform: 'lattice', event: (r) => latticeEvent(r) },
];

/** The source that reads its results as `platform` does. */
export function bufferedSource(platform: ResultPlatform): BufferedSource {
  return BUFFERED_SOURCES.find((source) => source.platform === platform)!;
}
