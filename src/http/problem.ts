import { ErrorCodes, HttpError, type ValidationIssue } from '../errors';
import { statusText } from './protocol';
import { HttpResponse } from './response';

/** An RFC 9457 problem details object, as crest writes it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  requestId?: string;
  errors?: ValidationIssue[];
  /** Only with `debug: true`. */
  stack?: string;
}

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/**
 * Turns anything thrown into a problem response. An `HttpError` keeps its status and message;
 * anything else is a 500 that shows neither message nor stack unless `debug` is on.
 */
export function errorToResponse(error: unknown, requestId: string | undefined, debug: boolean): HttpResponse {
  const known = error instanceof HttpError;
  const status = known ? error.status : 500;
  const problem: ProblemDetails = {
    type: (known && error.type) || 'about:blank',
    title: (known && error.title) || statusText(status),
    status,
    code: known ? error.code : ErrorCodes.INTERNAL,
  };
  if (known && (error.expose || debug)) problem.detail = error.message;
  else if (debug && error instanceof Error) problem.detail = error.message;
  if (requestId !== undefined) problem.requestId = requestId;
  if (known && error.errors !== undefined) problem.errors = error.errors;
  if (debug && error instanceof Error && error.stack !== undefined) problem.stack = error.stack;

  const response = new HttpResponse({ kind: 'json', value: problem }, { status }, PROBLEM_TYPE);
  response.headers['x-content-type-options'] = 'nosniff';
  response.headers['cache-control'] = 'no-store';
  if (known && error.headers !== undefined) {
    for (const name of Object.keys(error.headers)) {
      try {
        response.header(name, error.headers[name]!);
      } catch {
        // A header built from client input (a CR/LF in a realm) is dropped, never sent.
      }
    }
  }
  response.error = error;
  return response;
}

/**
 * The body of the bare 500 a transport sends when not even a problem response could be built or
 * serialized (the node:http and Lambda last resorts): fixed text, so sending it cannot fail.
 */
export function bareInternalProblem(): string {
  return BARE_INTERNAL_PROBLEM;
}

const BARE_INTERNAL_PROBLEM = JSON.stringify({
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  code: ErrorCodes.INTERNAL,
});
