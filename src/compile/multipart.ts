import { CrestBootError, requestError, ErrorCodes, type HttpError, type ValidationIssues } from '../errors';
import {
  isMultipartType,
  parseMultipart,
  type FileFieldRule,
  type MultipartForm,
  type MultipartLimits,
  type MultipartParserClass,
  type MultipartPlan,
} from '../http/multipart';
import type { HttpRequest } from '../http/request';
import type { ParamMetadata } from '../metadata/metadata';
import type { ArgResolver, RouteInvoker } from './types';

/** `createApp({ multipart })`: limits of every multipart/form-data body, each a 413 past it. */
export type MultipartOptions = Partial<MultipartLimits>;

/**
 * The app's multipart limits, checked at boot. The defaults: files up to the body limit, 10 files,
 * 100 text fields of 1 MB at most, 1,000 parts (each costs the parser about 20 µs, so a body of
 * tiny parts is cut off after some 20 ms), and the whole body within `bodyLimit`.
 */
export function resolveMultipartLimits(options: MultipartOptions | undefined, bodyLimit: number): MultipartLimits {
  const totalSize = whole('totalSize', options?.totalSize, bodyLimit);
  if (totalSize > bodyLimit) {
    throw new CrestBootError(
      ErrorCodes.INVALID_OPTION,
      `multipart.totalSize (${totalSize}) cannot exceed bodyLimit (${bodyLimit}).`,
    );
  }
  return {
    totalSize,
    fileSize: whole('fileSize', options?.fileSize, totalSize),
    files: whole('files', options?.files, 10),
    fields: whole('fields', options?.fields, 100),
    fieldSize: whole('fieldSize', options?.fieldSize, 1024 * 1024),
    parts: whole('parts', options?.parts, 1000),
  };
}

function whole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new CrestBootError(ErrorCodes.INVALID_OPTION, `multipart.${name} must be a whole number above 0.`);
  }
  return value;
}

/**
 * How a route reads a multipart body, or undefined for a route that reads none: a route reads one
 * when it has `@UploadedFile(s)` or `@Multipart()` (`formParser`; its `@Body()` then gets the text
 * fields).
 */
export function createMultipartPlan(
  where: string,
  params: readonly ParamMetadata[],
  limits: MultipartLimits,
  formParser?: MultipartParserClass,
): MultipartPlan | undefined {
  let fileFields: Map<string, FileFieldRule> | undefined;
  let parser = formParser;
  for (const param of params) {
    if (param.kind !== 'file' && param.kind !== 'files') continue;
    fileFields ??= new Map();
    parser = param.parser!;
    const field = param.name!;
    const upload = param.upload ?? {};
    if (fileFields.has(field)) {
      throw new CrestBootError(ErrorCodes.INVALID_ROUTE, `${where}: the file field '${field}' is declared twice.`);
    }
    const maxFileSize = upload.maxFileSize ?? limits.fileSize;
    const maxCount = upload.maxCount ?? limits.files;
    if (!(Number.isSafeInteger(maxFileSize) && maxFileSize > 0 && Number.isSafeInteger(maxCount) && maxCount > 0)) {
      throw new CrestBootError(
        ErrorCodes.INVALID_ROUTE,
        `${where}: the file field '${field}' needs a whole maxFileSize and maxCount above 0.`,
      );
    }
    const contentTypes = upload.contentTypes?.map((type) => type.trim().toLowerCase());
    if (contentTypes?.some((type) => !/^(?:\*\/\*|[\w.+-]+\/(?:\*|[\w.+-]+))$/.test(type))) {
      throw new CrestBootError(
        ErrorCodes.INVALID_ROUTE,
        `${where}: contentTypes of '${field}' must be media types or ranges (text/csv, image/*).`,
      );
    }
    // A field's limits never exceed the app's: those bound every request before routing.
    fileFields.set(field, {
      maxFileSize: Math.min(maxFileSize, limits.fileSize),
      maxCount: Math.min(maxCount, limits.files),
      contentTypes,
    });
  }
  return parser === undefined ? undefined : { limits, fileFields: fileFields ?? new Map(), parser };
}

const NOT_FIELDS: readonly unknown[] = [String, Buffer, Uint8Array, Array, Number, Boolean, Date];

/** A `@Body()` type that takes text fields: a DTO or `Object` (not String, Buffer, arrays or scalars). */
export function readsFields(type: unknown): boolean {
  return typeof type === 'function' && !NOT_FIELDS.includes(type);
}

/**
 * Runs a route that reads forms with its multipart body parsed first (Lambda, inject: from
 * `req.body`; node:http has parsed it from the socket already), so its resolvers stay synchronous.
 */
export function withMultipartForm(plan: MultipartPlan, invoke: RouteInvoker): RouteInvoker {
  return (req, ctx) => {
    if (req.multipartError !== undefined) throw req.multipartError;
    const contentType = req.headers['content-type'];
    // An empty multipart body is parsed too: it is malformed (400) on every transport.
    if (req.multipart !== undefined || !isMultipartType(contentType)) return invoke(req, ctx);
    return parseMultipart(req.body, contentType!, plan).then((form) => {
      req.multipart = form;
      return invoke(req, ctx);
    });
  };
}

const EMPTY_FORM: MultipartForm = Object.freeze({
  fields: Object.freeze(Object.create(null) as Record<string, string[]>),
  files: Object.freeze([]),
});

/** The request's form; a request with no body is an empty one, any other body a 415. */
function formOf(req: HttpRequest): MultipartForm {
  if (req.multipart !== undefined) return req.multipart;
  if (req.body.length === 0) return EMPTY_FORM;
  throw requestError(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, 'The request body must be multipart/form-data.');
}

/** The 415 for a multipart body sent to a route that declares no file field and no `@Multipart()`. */
export function multipartNotRead(): HttpError {
  return requestError(
    ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
    'This route takes no multipart/form-data body (@Multipart() lets its @Body() read one).',
  );
}

/** The resolver of `@UploadedFile(field)` (one file or undefined) or `@UploadedFiles(field)` (an array). */
export function fileResolver(param: ParamMetadata): ArgResolver {
  const field = param.name!;
  const required = param.upload?.required === true;
  const many = param.kind === 'files';
  return (req, issues: ValidationIssues) => {
    const files = formOf(req).files.filter((file) => file.fieldName === field);
    if (files.length === 0 && required) {
      issues.push({ in: 'body', path: field, code: 'required', message: `a file in ${field} is required` });
    }
    return many ? files : files[0];
  };
}
