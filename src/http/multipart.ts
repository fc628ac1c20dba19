import type { BusboyFileStream, BusboyInstance } from '@fastify/busboy';
import { bodyTooLarge, clientError, ErrorCodes, type HttpError } from '../errors';

/**
 * One uploaded file, as `@UploadedFile()` and `@UploadedFiles()` give it to a handler.
 *
 * @example upload(@UploadedFile('avatar') avatar: UploadedFile) { return { name: avatar.fileName, size: avatar.size }; }
 */
export interface UploadedFile {
  /** The form field it came in (`avatar`). */
  readonly fieldName: string;
  /** The client's file name, without any directory (RFC 7578 §4.2), `filename*` decoded. */
  readonly fileName: string;
  /** The part's media type, lower-case, without parameters (`text/csv`). */
  readonly contentType: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its bytes, exactly as sent. */
  readonly bytes: Buffer;
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

/** How a route reads a multipart body, compiled at boot. */
export interface MultipartPlan {
  limits: MultipartLimits;
  /** The file fields the route declares; a file in any other field is refused. */
  fileFields: ReadonlyMap<string, FileFieldRule>;
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

type BusboyModule = typeof import('./multipart-library');

let busboyModule: BusboyModule | undefined;

// Required on first use: an app that never receives a form never loads the parser.
function loadBusboy(): BusboyModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (busboyModule ??= require('./multipart-library') as BusboyModule);
}

/**
 * One multipart body being parsed: bytes go in with `write` as they arrive, and the first limit
 * breached or malformation found refuses the whole request at once, so nothing past a limit is
 * kept and the transport can stop reading.
 */
export class MultipartReader {
  /** The refusal, once the body has broken a rule; nothing more is parsed after it. */
  error: HttpError | undefined;
  /** Told of the refusal the moment it happens, so a transport stops reading at once. */
  onRefuse: ((error: HttpError) => void) | undefined;
  private readonly parser: BusboyInstance;
  private readonly fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  private readonly files: UploadedFile[] = [];
  private readonly counts = new Map<string, number>();
  private received = 0;
  private finished = false;
  private settle: ((error: HttpError | undefined) => void) | undefined;

  constructor(
    contentType: string,
    private readonly plan: MultipartPlan,
  ) {
    const { Busboy } = loadBusboy();
    const { limits } = plan;
    try {
      this.parser = new Busboy({
        headers: { 'content-type': contentType },
        // File sizes are counted per field here, with each field's own limit.
        limits: { fields: limits.fields, fieldSize: limits.fieldSize, files: limits.files, parts: limits.parts },
      });
    } catch {
      throw invalid('The multipart/form-data Content-Type has no boundary.');
    }
    this.parser.on('file', (name, stream, fileName, _encoding, type) => this.onFile(name, stream, fileName, type));
    this.parser.on('field', (name, value, _nameTruncated, valueTruncated) => this.onField(name, value, valueTruncated));
    this.parser.on('filesLimit', () =>
      this.refuse(tooMany(ErrorCodes.TOO_MANY_FILES, `more than ${limits.files} files`)),
    );
    this.parser.on('fieldsLimit', () =>
      this.refuse(tooMany(ErrorCodes.TOO_MANY_FIELDS, `more than ${limits.fields} fields`)),
    );
    this.parser.on('partsLimit', () =>
      this.refuse(tooMany(ErrorCodes.TOO_MANY_PARTS, `more than ${limits.parts} parts`)),
    );
    // A truncated body, a missing closing boundary, a body with no boundary at all.
    this.parser.on('error', () => this.refuse(invalid('The multipart/form-data body is malformed or incomplete.')));
    this.parser.on('finish', () => {
      this.finished = true;
      this.settle?.(this.error);
    });
  }

  /** Feeds bytes; false once the body is refused (stop reading: `error` says why). */
  write(chunk: Buffer): boolean {
    if (this.error !== undefined) return false;
    this.received += chunk.length;
    if (this.received > this.plan.limits.totalSize) {
      this.refuse(bodyTooLarge(this.plan.limits.totalSize));
      return false;
    }
    this.parser.write(chunk);
    return this.error === undefined;
  }

  /** The form, once the body has ended; rejects with the refusal. */
  end(): Promise<MultipartForm> {
    return new Promise((resolve, reject) => {
      const done = (error: HttpError | undefined): void => {
        this.settle = undefined;
        if (error === undefined) resolve({ fields: this.fields, files: this.files });
        else reject(error);
      };
      if (this.error !== undefined || this.finished) return done(this.error);
      this.settle = done;
      this.parser.end();
    });
  }

  private refuse(error: HttpError): void {
    if (this.error !== undefined || this.finished) return;
    this.error = error;
    this.parser.removeAllListeners('file').removeAllListeners('field');
    // A refusal ends the parse: `end()` answers at once, whatever else is still in flight.
    this.settle?.(error);
    this.onRefuse?.(error);
  }

  private onField(name: string | undefined, value: string, truncated: boolean): void {
    if (truncated) {
      this.refuse(
        tooLarge(ErrorCodes.FIELD_TOO_LARGE, `The field ${quote(name)} exceeds ${this.plan.limits.fieldSize} bytes.`),
      );
    } else if (name === undefined) {
      this.refuse(invalid('A multipart/form-data part has no field name.'));
    } else {
      (this.fields[name] ??= []).push(value);
    }
  }

  private onFile(name: string | undefined, stream: BusboyFileStream, fileName: string, type: string): void {
    // Busboy reports the cause of a part cut short on itself ('error' above).
    stream.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let rule: FileFieldRule | undefined;
    // A file input left empty arrives as a part with an empty file name and no bytes (HTML's
    // "constructing the entry list"): it is no file, so it is checked only once a byte arrives.
    const admit = (): boolean => {
      rule = this.admit(name, type);
      return rule !== undefined;
    };
    if (fileName !== '' && !admit()) return void stream.resume();
    stream.on('data', (chunk: Buffer) => {
      if (this.error !== undefined) return;
      if (rule === undefined && !admit()) return;
      size += chunk.length;
      if (size > rule!.maxFileSize) {
        this.refuse(
          tooLarge(ErrorCodes.FILE_TOO_LARGE, `The file in ${quote(name)} exceeds ${rule!.maxFileSize} bytes.`),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (this.error !== undefined || (rule === undefined && (size === 0 ? true : !admit()))) return;
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      this.files.push({ fieldName: name!, fileName, contentType: type, size, bytes });
    });
  }

  /** The rule of a file's field, or undefined after refusing the file (unknown field, type, count). */
  private admit(name: string | undefined, type: string): FileFieldRule | undefined {
    const rule = name === undefined ? undefined : this.plan.fileFields.get(name);
    if (rule === undefined) {
      // Like a JSON property the DTO does not declare (class-validator's forbidNonWhitelisted).
      this.refuse(
        clientError(400, 'The request is invalid.', {
          code: ErrorCodes.VALIDATION,
          errors: [
            {
              in: 'body',
              path: name ?? '',
              code: 'unexpectedFile',
              message: `file field ${quote(name)} is not expected`,
            },
          ],
        }),
      );
      return undefined;
    }
    if (rule.contentTypes !== undefined && !rule.contentTypes.some((accepted) => mediaTypeMatches(accepted, type))) {
      this.refuse(
        clientError(415, `The file in ${quote(name)} is ${type}; accepted: ${rule.contentTypes.join(', ')}.`, {
          code: ErrorCodes.UNSUPPORTED_FILE_TYPE,
        }),
      );
      return undefined;
    }
    const count = (this.counts.get(name!) ?? 0) + 1;
    this.counts.set(name!, count);
    if (count > rule.maxCount) {
      this.refuse(tooMany(ErrorCodes.TOO_MANY_FILES, `more than ${rule.maxCount} files in ${quote(name)}`));
      return undefined;
    }
    return rule;
  }
}

/** `image/*` matches `image/png`; `*\/*` matches anything; otherwise the exact type. */
function mediaTypeMatches(accepted: string, type: string): boolean {
  if (accepted === '*/*' || accepted === type) return true;
  return accepted.endsWith('/*') && type.startsWith(accepted.slice(0, -1));
}

/**
 * Slices fed to the parser at a time from a buffered body: between them the parser's events run,
 * so a refusal (a file over its limit, the parts limit) stops the work within one slice.
 */
const SLICE = 64 * 1024;

/** Parses a buffered multipart body (Lambda, inject). */
export async function parseMultipart(body: Buffer, contentType: string, plan: MultipartPlan): Promise<MultipartForm> {
  const reader = new MultipartReader(contentType, plan);
  for (let offset = 0; offset < body.length; offset += SLICE) {
    if (!reader.write(body.subarray(offset, offset + SLICE))) break;
    if (offset + SLICE < body.length) await new Promise(setImmediate);
  }
  return reader.end();
}

function quote(name: string | undefined): string {
  return name === undefined ? '(unnamed)' : JSON.stringify(name);
}

function invalid(message: string): HttpError {
  return clientError(400, message, { code: ErrorCodes.INVALID_MULTIPART });
}

function tooLarge(code: string, message: string): HttpError {
  return clientError(413, message, { code });
}

function tooMany(code: string, what: string): HttpError {
  return clientError(413, `The multipart/form-data body has ${what}.`, { code });
}
