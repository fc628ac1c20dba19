import { ErrorCodes, HttpError, MAX_LISTED_ISSUES, type ValidationIssue } from '../errors';
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
  /** How many issues were found past the ones `errors` lists. */
  omittedErrors?: number;
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
  if (known && error.errors !== undefined) listIssues(problem, error.errors, error.omittedErrors ?? 0);
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

/** Longest `path` or `message` an issue shows: a key or a message can echo megabytes of input. */
const MAX_ISSUE_TEXT = 200;

/**
 * Lists the first {@link MAX_LISTED_ISSUES} issues, each text cut to {@link MAX_ISSUE_TEXT}, so
 * that a problem always fits every Lambda result limit (ALB: 1 MB), and counts the rest.
 */
function listIssues(problem: ProblemDetails, issues: readonly ValidationIssue[], omitted: number): void {
  const listed = issues.length > MAX_LISTED_ISSUES ? issues.slice(0, MAX_LISTED_ISSUES) : issues;
  problem.errors = listed.map((issue) =>
    isLong(issue.path) || isLong(issue.message)
      ? { ...issue, path: shorten(issue.path), message: shorten(issue.message) }
      : issue,
  );
  const more = omitted + issues.length - listed.length;
  if (more > 0) problem.omittedErrors = more;
}

// Issues come from user code too: their texts are checked, not trusted to be strings.
function isLong(text: unknown): boolean {
  return typeof text === 'string' && text.length > MAX_ISSUE_TEXT;
}

function shorten(text: string): string {
  return isLong(text) ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text;
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
