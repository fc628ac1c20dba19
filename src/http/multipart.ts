import type { Readable } from 'node:stream';
import type { HttpError } from '../errors';

/**
 * One uploaded file, as `@UploadedFile()` and `@UploadedFiles()` give it to a handler.
 *
 * @example upload(@UploadedFile('avatar') avatar: UploadedFile) { return { name: avatar.fileName, size: avatar.size }; }
 */
export interface UploadedFile {
  /** The form field it came in (`avatar`). */
  readonly fieldName: string;
  /**
   * The client's file name, without any directory (RFC 7578 §4.2): raw UTF-8 as browsers send it,
   * or `filename*` (RFC 8187), which wins over `filename` when both are sent (RFC 6266 §4.3).
   */
  readonly fileName: string;
  /** The part's media type, lower-case, without parameters (`text/csv`). */
  readonly contentType: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its bytes, exactly as sent. */
  readonly bytes: Buffer;
  /**
   * A new Node `Readable` over `bytes` at each call (64 kB chunks, no copy), for APIs that take a
   * stream (`pipeline(file.stream(), createWriteStream(path))`, an S3 upload, a CSV parser). The
   * bytes were received whole before the handler ran, on every transport.
   */
  stream(): Readable;
}

/** A parsed multipart/form-data body: text fields (every value, in order) and files. */
export interface MultipartForm {
  readonly fields: Record<string, string[]>;
  readonly files: readonly UploadedFile[];
}

/** What one multipart request may hold; every breach is a 413 with its own code. */
export interface MultipartLimits {
  /** Bytes in one file. */
  fileSize: number;
  /** Files in the request. */
  files: number;
  /** Text fields in the request. */
  fields: number;
  /** Bytes in one text field. */
  fieldSize: number;
  /** Parts (files and fields) in the request. */
  parts: number;
  /** Bytes in the whole body, never more than the app's `bodyLimit`. */
  totalSize: number;
}

/** What one file field of a route accepts (from `@UploadedFile` / `@UploadedFiles`), compiled at boot. */
export interface FileFieldRule {
  maxFileSize: number;
  maxCount: number;
  /** Media types (`image/png`) or ranges (`image/*`); undefined accepts any. */
  contentTypes: readonly string[] | undefined;
}

/**
 * One multipart body being parsed: bytes go in with `write` as they arrive, and the first limit
 * breached or malformation found refuses the whole request at once (`error`, `onRefuse`).
 */
export interface MultipartParser {
  /** The refusal, once the body has broken a rule; nothing more is parsed after it. */
  readonly error: HttpError | undefined;
  /** Told of the refusal the moment it happens, so a transport stops reading at once. */
  onRefuse: ((error: HttpError) => void) | undefined;
  /** Feeds bytes; false once the body is refused. */
  write(chunk: Buffer): boolean;
  /** The form, once the body has ended; rejects with the refusal. */
  end(): Promise<MultipartForm>;
}

/** Builds a parser; throws a 400 for a Content-Type without a usable boundary. */
export type MultipartParserClass = new (contentType: string, plan: MultipartPlan) => MultipartParser;

/** How a route reads a multipart body, compiled at boot. */
export interface MultipartPlan {
  limits: MultipartLimits;
  /** The file fields the route declares; a file in any other field is refused. */
  fileFields: ReadonlyMap<string, FileFieldRule>;
  /**
   * The parser, handed over by `@UploadedFile` / `@UploadedFiles` (multipart-reader.ts): only an app
   * that imports them loads or bundles it.
   */
  parser: MultipartParserClass;
}

/** Whether a Content-Type header value is multipart/form-data (RFC 7578 §4). */
export function isMultipartType(header: string | undefined): boolean {
  // The first letter first: this runs for every request to a route that reads forms.
  return (
    header !== undefined &&
    (header.charCodeAt(0) | 0x20) === 0x6d /* m */ &&
    /^multipart\/form-data\s*(?:;|$)/i.test(header)
  );
}

/**
 * Slices fed to the parser at a time from a buffered body: between them the parser's events run,
 * so a refusal (a file over its limit, the parts limit) stops the work within one slice.
 */
const SLICE = 64 * 1024;

/** Parses a buffered multipart body (Lambda, inject). */
export async function parseMultipart(body: Buffer, contentType: string, plan: MultipartPlan): Promise<MultipartForm> {
  const reader = new plan.parser(contentType, plan);
  for (let offset = 0; offset < body.length; offset += SLICE) {
    if (!reader.write(body.subarray(offset, offset + SLICE))) break;
    if (offset + SLICE < body.length) await new Promise(setImmediate);
  }
  return reader.end();
}
