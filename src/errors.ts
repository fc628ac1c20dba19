import { statusText } from './http/protocol';
/**
 * Every error crest produces carries a stable code from this table. Codes are never reused or
 * renamed; tests assert codes, not message text.
 */
export const ErrorCodes = {
  // Request errors (4xx/5xx responses).
  HTTP_ERROR: 'CREST_HTTP_ERROR',
  NOT_FOUND: 'CREST_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'CREST_METHOD_NOT_ALLOWED',
  VALIDATION: 'CREST_VALIDATION',
  BAD_URL: 'CREST_BAD_URL',
  BAD_HEADER: 'CREST_BAD_HEADER',
  URI_TOO_LONG: 'CREST_URI_TOO_LONG',
  INVALID_JSON: 'CREST_INVALID_JSON',
  BODY_REQUIRED: 'CREST_BODY_REQUIRED',
  BODY_TOO_LARGE: 'CREST_BODY_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'CREST_UNSUPPORTED_MEDIA_TYPE',
  INTERNAL: 'CREST_INTERNAL',
  TIMEOUT: 'CREST_TIMEOUT',
  RESPONSE_TOO_LARGE: 'CREST_RESPONSE_TOO_LARGE',
  NO_RESPONSE: 'CREST_NO_RESPONSE',
  INVALID_EVENT: 'CREST_INVALID_EVENT',
  // multipart/form-data uploads (issue 16).
  INVALID_MULTIPART: 'CREST_INVALID_MULTIPART',
  FILE_TOO_LARGE: 'CREST_FILE_TOO_LARGE',
  TOO_MANY_FILES: 'CREST_TOO_MANY_FILES',
  TOO_MANY_FIELDS: 'CREST_TOO_MANY_FIELDS',
  FIELD_TOO_LARGE: 'CREST_FIELD_TOO_LARGE',
  TOO_MANY_PARTS: 'CREST_TOO_MANY_PARTS',
  UNSUPPORTED_FILE_TYPE: 'CREST_UNSUPPORTED_FILE_TYPE',
  // Boot errors (thrown by createApp).
  DUPLICATE_ROUTE: 'CREST_DUPLICATE_ROUTE',
  INVALID_ROUTE: 'CREST_INVALID_ROUTE',
  UNBOUND_PARAM: 'CREST_UNBOUND_PARAM',
  UNKNOWN_PARAM: 'CREST_UNKNOWN_PARAM',
  MISSING_TYPE: 'CREST_MISSING_TYPE',
  UNSUPPORTED_TYPE: 'CREST_UNSUPPORTED_TYPE',
  NOT_A_CONTROLLER: 'CREST_NOT_A_CONTROLLER',
  INVALID_OPTION: 'CREST_INVALID_OPTION',
  NOT_HTTP_EVENT: 'CREST_NOT_HTTP_EVENT',
  DUPLICATE_OPERATION_ID: 'CREST_DUPLICATE_OPERATION_ID',
  DOCS_UI_MISSING: 'CREST_DOCS_UI_MISSING',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

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
      throw new RangeError(`HttpError status must be an integer 400-599, got ${String(status)}`);
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

function namedError(status: number, name: string) {
  return class extends HttpError {
    constructor(message?: string, options?: HttpErrorOptions) {
      super(status, message, options);
      this.name = name;
    }
  };
}

export const BadRequestError = namedError(400, 'BadRequestError');
export const UnauthorizedError = namedError(401, 'UnauthorizedError');
export const ForbiddenError = namedError(403, 'ForbiddenError');
export const NotFoundError = namedError(404, 'NotFoundError');
export const ConflictError = namedError(409, 'ConflictError');
export const UnprocessableEntityError = namedError(422, 'UnprocessableEntityError');
export const TooManyRequestsError = namedError(429, 'TooManyRequestsError');
export const InternalServerError = namedError(500, 'InternalServerError');
export const ServiceUnavailableError = namedError(503, 'ServiceUnavailableError');

/** A 400 listing the inputs that failed validation (at most {@link MAX_LISTED_ISSUES} in the answer). */
export class ValidationError extends HttpError {
  constructor(errors: ValidationIssue[], omittedErrors?: number) {
    super(400, 'The request is invalid.', { code: ErrorCodes.VALIDATION, errors, omittedErrors });
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
 * Builds a framework error without capturing a stack: a 404 or a validation problem is an
 * answer, not a bug, and a stack costs more than the whole rest of the request.
 */
export function clientError(status: number, message: string, options: HttpErrorOptions): HttpError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new HttpError(status, message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The 413 every transport answers for a request body over `bodyLimit`. */
export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, `The request body exceeds the limit of ${limit} bytes.`, {
    code: ErrorCodes.BODY_TOO_LARGE,
  });
}

/** Thrown by `createApp` when controllers cannot be compiled; `message` names class and method. */
export class CrestBootError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'CrestBootError';
    this.code = code;
  }
}
