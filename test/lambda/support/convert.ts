import { detectSource, SOURCES } from '../../../src/transports/lambda/sources';
import type { HttpEvent } from '../../../src/transports/lambda/types';
import type { HttpRequest } from '../../../src';
import { lambdaContext } from '../../../src/testing';

/** Detects and converts an event the way the handler does, with a 6 MB body limit and no base path. */
export function convert(event: unknown, bodyLimit = 6 * 1024 * 1024, basePath = ''): HttpRequest {
  const source = detectSource(event);
  if (source === undefined) throw new Error('not an HTTP event');
  // Lambda's longest timeout: events converted while mocha collects the tests are read minutes later on a busy machine.
  const context = lambdaContext({ timeoutMs: 15 * 60_000 });
  return SOURCES[source].toRequest(event as HttpEvent, { context, bodyLimit, basePath });
}
