import { statusText } from './status-text';
/**
 * What a code means. `request`: a failure while serving one request or invocation; `status` is
 * the status of the problem crest answers with (`any`: the thrower's; `none`: there is no
 * response, the invocation or stream itself fails). `boot`: `createApp` (or a decorator, or an
 * option) refuses the app; always a {@link CrestBootError}. `usage`: a crest function called with
 * an argument it cannot take; always a {@link CrestUsageError}, a `TypeError` as JavaScript's own
 * argument checks are (Node's `ERR_INVALID_ARG_*` carry a code the same way).
 */
export type ErrorDefinition =
  | { kind: 'request'; status: number; title: string }
  | { kind: 'request'; status: 'any' | 'none' }
  | { kind: 'boot' }
  | { kind: 'usage' };

/**
 * Every error crest produces carries a stable code from this one table. Codes are never reused
 * or renamed; tests assert codes, not message text, and test/error-codes.test.ts checks the
 * README's table against this one. A problem's `type` is `about:blank`, so its `title` is the
 * status's reason phrase (RFC 9457 §4.2.1) unless a code needs a plainer one.
 */
export const ERROR_DEFINITIONS = {
  CREST_HTTP_ERROR: { kind: 'request', status: 'any' },
  CREST_NOT_FOUND: { kind: 'request', status: 404, title: 'Not Found' },
  CREST_METHOD_NOT_ALLOWED: { kind: 'request', status: 405, title: 'Method Not Allowed' },
  CREST_VALIDATION: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_BAD_URL: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_BAD_HEADER: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_URI_TOO_LONG: { kind: 'request', status: 414, title: 'URI Too Long' },
  CREST_INVALID_JSON: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_BODY_REQUIRED: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_TOO_MANY_KEYS: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_TOO_MANY_ITEMS: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_BODY_TOO_LARGE: { kind: 'request', status: 413, title: 'Content Too Large' },
  CREST_UNSUPPORTED_MEDIA_TYPE: { kind: 'request', status: 415, title: 'Unsupported Media Type' },
  CREST_INTERNAL: { kind: 'request', status: 500, title: 'Internal Server Error' },
  CREST_TIMEOUT: { kind: 'request', status: 504, title: 'Gateway Timeout' },
  CREST_RESPONSE_TOO_LARGE: { kind: 'request', status: 500, title: 'Response Too Large' },
  CREST_NO_RESPONSE: { kind: 'request', status: 500, title: 'Internal Server Error' },
  CREST_NOT_A_RESPONSE: { kind: 'request', status: 500, title: 'Internal Server Error' },
  CREST_INVALID_MULTIPART: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_FILE_TOO_LARGE: { kind: 'request', status: 413, title: 'Content Too Large' },
  CREST_TOO_MANY_FILES: { kind: 'request', status: 413, title: 'Content Too Large' },
  CREST_TOO_MANY_FIELDS: { kind: 'request', status: 413, title: 'Content Too Large' },
  CREST_FIELD_TOO_LARGE: { kind: 'request', status: 413, title: 'Content Too Large' },
  CREST_TOO_MANY_PARTS: { kind: 'request', status: 413, title: 'Content Too Large' },
  CREST_UNSUPPORTED_FILE_TYPE: { kind: 'request', status: 415, title: 'Unsupported Media Type' },
  CREST_INVALID_EVENT: { kind: 'request', status: 400, title: 'Bad Request' },
  CREST_NOT_HTTP_EVENT: { kind: 'request', status: 'none' },
  CREST_NO_STREAMING_RUNTIME: { kind: 'request', status: 'none' },
  CREST_STREAM_CLOSED: { kind: 'request', status: 'none' },
  CREST_CLIENT_GONE: { kind: 'request', status: 'none' },
  CREST_DUPLICATE_ROUTE: { kind: 'boot' },
  CREST_INVALID_ROUTE: { kind: 'boot' },
  CREST_UNBOUND_PARAM: { kind: 'boot' },
  CREST_UNKNOWN_PARAM: { kind: 'boot' },
  CREST_MISSING_TYPE: { kind: 'boot' },
  CREST_UNSUPPORTED_TYPE: { kind: 'boot' },
  CREST_NOT_A_CONTROLLER: { kind: 'boot' },
  CREST_INVALID_OPTION: { kind: 'boot' },
  CREST_INVALID_DECORATOR: { kind: 'boot' },
  CREST_DUPLICATE_OPERATION_ID: { kind: 'boot' },
  CREST_DOCS_UI_MISSING: { kind: 'boot' },
  // Log-line codes: work after the response, shutdown hooks (no response carries them).
  CREST_WAIT_UNTIL_FAILED: { kind: 'request', status: 'none' },
  CREST_WAIT_UNTIL_TIMEOUT: { kind: 'request', status: 'none' },
  CREST_SHUTDOWN_HOOK_FAILED: { kind: 'request', status: 'none' },
  CREST_SHUTDOWN_HOOK_TIMEOUT: { kind: 'request', status: 'none' },
  CREST_DOC_UNKNOWN_PARAMETER: { kind: 'boot' },
  CREST_INVALID_STATUS: { kind: 'usage' },
  CREST_INVALID_HEADER: { kind: 'usage' },
  CREST_INVALID_LOG_EVENT: { kind: 'usage' },
} as const satisfies Record<`CREST_${string}`, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_DEFINITIONS;

type CodeName<Code> = Code extends `CREST_${infer Name}` ? Name : never;

/** The codes by name: `ErrorCodes.NOT_FOUND === 'CREST_NOT_FOUND'`. */
export const ErrorCodes = Object.fromEntries(
  Object.keys(ERROR_DEFINITIONS).map((code) => [code.slice('CREST_'.length), code]),
) as { readonly [Code in ErrorCode as CodeName<Code>]: Code };

/** The codes whose problem has a status of its own: a throw site names the code, the table the status. */
export type RequestErrorCode = {
  [Code in ErrorCode]: (typeof ERROR_DEFINITIONS)[Code] extends { status: number } ? Code : never;
}[ErrorCode];

/** Where a validation problem was found. */
export type IssueLocation = 'body' | 'query' | 'path' | 'header' | 'cookie';

/** One entry of a problem's `errors[]`: which input, which field, which rule, why. */
export interface ValidationIssue {
  in: IssueLocation;
  path: string;
  code: string;
  message: string;
}

/**
 * A problem lists at most this many issues in `errors[]`; `omittedErrors` counts the rest. It
 * bounds the answer (a Lambda result must fit 1 MB behind an ALB) and the work: crest stops
 * collecting issues once this many are known.
 */
export const MAX_LISTED_ISSUES = 20;

/** The issues of one request; `omitted` counts those found past {@link MAX_LISTED_ISSUES} and not kept. */
export type ValidationIssues = ValidationIssue[] & { omitted?: number };

/** Adds an issue, or only counts it once {@link MAX_LISTED_ISSUES} are kept. */
export function addIssue(issues: ValidationIssues, issue: ValidationIssue): void {
  if (issues.length < MAX_LISTED_ISSUES) issues.push(issue);
  else issues.omitted = (issues.omitted ?? 0) + 1;
}

/** Whether `issues` already holds all it will list: further ones need not be built, only counted. */
export function issuesFull(issues: ValidationIssues): boolean {
  return issues.length >= MAX_LISTED_ISSUES;
}

export interface HttpErrorOptions {
  code?: string;
  cause?: unknown;
  /** Extra response headers, e.g. `WWW-Authenticate` for a 401. */
  headers?: Record<string, string | string[]>;
  errors?: ValidationIssue[];
  /** How many further issues were found and not listed in `errors`. */
  omittedErrors?: number;
  /** RFC 9457 `type` URI; `about:blank` by default. */
  type?: string;
  title?: string;
}

/**
 * An error that becomes an RFC 9457 problem response with its status.
 *
 * @example throw new HttpError(404, 'no such user');
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers?: Record<string, string | string[]>;
  readonly errors?: ValidationIssue[];
  readonly omittedErrors?: number;
  readonly type?: string;
  readonly title?: string;
  /** Whether `message` may be shown to the client (true unless the status is 5xx). */
  readonly expose: boolean;

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? statusText(status), options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new CrestUsageError(
        ErrorCodes.INVALID_STATUS,
        `HttpError status must be an integer 400-599, got ${String(status)}`,
      );
    }
    this.name = 'HttpError';
    this.status = status;
    this.code = options.code ?? ErrorCodes.HTTP_ERROR;
    this.headers = options.headers;
    this.errors = options.errors;
    this.omittedErrors = options.omittedErrors;
    this.type = options.type;
    this.title = options.title;
    this.expose = message !== undefined && status < 500;
  }
}

// The named errors are written out as classes (not made by a factory) so that each name is a
// type too: `let e: NotFoundError` and `catch (e) { if (e instanceof NotFoundError) ... }`.

/** A 400 of your own. @example throw new BadRequestError('`from` must be before `to`'); */
export class BadRequestError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(400, message, options);
    this.name = 'BadRequestError';
  }
}

/** A 401; pass `headers: { 'www-authenticate': ... }` (RFC 9110 §11.6.1). */
export class UnauthorizedError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(401, message, options);
    this.name = 'UnauthorizedError';
  }
}

/** A 403. */
export class ForbiddenError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(403, message, options);
    this.name = 'ForbiddenError';
  }
}

/** A 404 of your own. @example throw new NotFoundError(`no user ${id}`); */
export class NotFoundError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(404, message, options);
    this.name = 'NotFoundError';
  }
}

/** A 409. */
export class ConflictError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(409, message, options);
    this.name = 'ConflictError';
  }
}

/** A 422. */
export class UnprocessableEntityError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(422, message, options);
    this.name = 'UnprocessableEntityError';
  }
}

/** A 429; pass `headers: { 'retry-after': ... }`. */
export class TooManyRequestsError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(429, message, options);
    this.name = 'TooManyRequestsError';
  }
}

/** A 500 whose message the client does not see. */
export class InternalServerError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(500, message, options);
    this.name = 'InternalServerError';
  }
}

/** A 503; pass `headers: { 'retry-after': ... }`. */
export class ServiceUnavailableError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(503, message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** A 400 listing the inputs that failed validation (at most {@link MAX_LISTED_ISSUES} in the answer). */
export class ValidationError extends HttpError {
  constructor(errors: ValidationIssue[], omittedErrors?: number) {
    super(400, 'The request is invalid.', {
      code: ErrorCodes.VALIDATION,
      title: ERROR_DEFINITIONS.CREST_VALIDATION.title,
      errors,
      omittedErrors,
    });
    this.name = 'ValidationError';
  }
}

/** A {@link ValidationError} without a stack, for the request path. */
export function validationError(errors: ValidationIssues): ValidationError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ValidationError(errors, errors.omitted);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A framework error for one request: status and title come from {@link ERROR_DEFINITIONS}, the
 * throw site names only the code and says what went wrong. A 4xx is built without a stack: it is
 * an answer, not a bug, and a stack costs more than the whole rest of the request. A 5xx keeps
 * its stack for `debug`.
 */
export function requestError(
  code: RequestErrorCode,
  message: string,
  options?: Pick<HttpErrorOptions, 'cause' | 'headers'>,
): HttpError {
  const { status, title } = ERROR_DEFINITIONS[code];
  const full: HttpErrorOptions = { ...options, code, title };
  if (status >= 500) return new HttpError(status, message, full);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new HttpError(status, message, full);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The 413 every transport answers for a request body over `bodyLimit`. */
export function bodyTooLarge(limit: number): HttpError {
  return requestError(ErrorCodes.BODY_TOO_LARGE, `The request body exceeds the limit of ${limit} bytes.`);
}

/**
 * A coded failure that is not answered with a problem: the invocation or the stream itself fails
 * (`status: 'none'` in {@link ERROR_DEFINITIONS}), or the app cannot boot ({@link CrestBootError}).
 */
export class CrestError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrestError';
    this.code = code;
  }
}

/** Thrown by `createApp` and the decorators when controllers cannot be compiled; `message` names class and method. */
export class CrestBootError extends CrestError {
  constructor(code: ErrorCode, message: string) {
    super(code, `${code}: ${message}`);
    this.name = 'CrestBootError';
  }
}

/**
 * A crest function called with an argument it cannot take (a status of 42, a header name with a
 * space): a bug in the calling code, so a `TypeError` with a code, like Node's own argument checks.
 */
export class CrestUsageError extends TypeError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'CrestUsageError';
    this.code = code;
  }
}
