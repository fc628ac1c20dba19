import type { BusboyFileStream, BusboyInstance } from '@fastify/busboy';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import {
  bodyTooLarge,
  ErrorCodes,
  requestError,
  validationError,
  type HttpError,
  type RequestErrorCode,
} from '../errors';
import { parameterOf, parseHeaderParameters } from './header-parameters';
import type { FileFieldRule, MultipartForm, MultipartParser, MultipartPlan, UploadedFile } from './multipart';
import { DelimiterCounter } from './multipart-delimiters';
import { extendedFileName } from './upload-file-name';

/*
 * The multipart/form-data parser. Only the upload decorators import this file, so an app without
 * uploads neither loads nor bundles it (it adds some 30 kB to a minified bundle); an app with
 * uploads loads it on the first multipart request, not at cold start.
 *
 * @fastify/busboy rather than busboy: the same streaming parser (Dicer and streamsearch, a
 * Boyer-Moore-Horspool search for the boundary, so a part costs time linear in its size), forked
 * and kept by the fastify team since busboy's last release (1.6.0, 2024): it is what
 * @fastify/multipart and undici's `formData()` parse with, it has no dependencies, it ships its
 * own types, and its releases fix the malformed-input crashes (an unhandled 'error' on a skipped
 * part cut short) that a server must never have.
 */

type BusboyModule = typeof import('./multipart-library');

let busboyModule: BusboyModule | undefined;

function loadBusboy(): BusboyModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (busboyModule ??= require('./multipart-library') as BusboyModule);
}

/**
 * One multipart body being parsed: bytes go in with `write` as they arrive, and the first limit
 * breached or malformation found refuses the whole request at once, so nothing past a limit is
 * kept and the transport can stop reading.
 */
export class MultipartReader implements MultipartParser {
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
  /** Fields and files the parser reported, refused ones included. */
  private partsRead = 0;
  private readonly delimiters: DelimiterCounter;
  /** The raw Content-Disposition of the part whose headers were read last. */
  private disposition: string | undefined;
  private settle: ((error: HttpError | undefined) => void) | undefined;

  constructor(
    contentType: string,
    private readonly plan: MultipartPlan,
  ) {
    const { limits } = plan;
    const { Busboy } = loadBusboy();
    const boundary = boundaryOf(contentType);
    try {
      if (boundary === undefined) throw new TypeError('no boundary');
      this.parser = new Busboy({
        headers: { 'content-type': contentType },
        // File sizes are counted per field here, with each field's own limit.
        limits: { fields: limits.fields, fieldSize: limits.fieldSize, files: limits.files, parts: limits.parts },
      });
    } catch {
      throw invalid('The multipart/form-data Content-Type has no boundary.');
    }
    this.delimiters = new DelimiterCounter(boundary);
    // Each part's raw headers, read before busboy reports the part: busboy's `filename` folds
    // `filename*` in (the last one written wins), so crest reads the name from the header itself.
    dicerOf(this.parser)?.prependListener('part', (part: EventEmitter) =>
      part.on('header', (header: Record<string, string[] | undefined>) => {
        this.disposition = header['content-disposition']?.[0];
      }),
    );
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
      // A part the parser dropped (no headers, no Content-Disposition form-data, after the
      // closing delimiter): the body is malformed, most likely cut by a boundary in a file's content.
      if (this.delimiters.count !== this.partsRead + 1) {
        this.refuse(
          invalid(
            "A multipart/form-data part has no Content-Disposition form-data header, or follows the closing boundary (a boundary inside a part's content?).",
          ),
        );
      }
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
    this.delimiters.write(chunk);
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
    this.partsRead++;
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

  private onFile(name: string | undefined, stream: BusboyFileStream, parsedName: string, type: string): void {
    this.partsRead++;
    // Busboy reports the cause of a part cut short on itself ('error' above).
    stream.on('error', () => undefined);
    const extended = this.disposition === undefined ? undefined : extendedFileName(this.disposition);
    if (extended === null) {
      this.refuse(invalid(`The file name (filename*) of the file in ${quote(name)} cannot be decoded.`));
      return void stream.resume();
    }
    if (name === undefined) {
      this.refuse(invalid('A multipart/form-data part has no field name.'));
      return void stream.resume();
    }
    const fileName = extended ?? parsedName;
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
      this.files.push(new ReceivedFile(name, fileName, type, joinChunks(chunks, size)));
    });
  }

  /** The rule of a file's field, or undefined after refusing the file (unknown field, type, count). */
  private admit(name: string, type: string): FileFieldRule | undefined {
    const rule = this.plan.fileFields.get(name);
    if (rule === undefined) {
      // Like a JSON property the DTO does not declare (class-validator's forbidNonWhitelisted).
      this.refuse(
        validationError([
          {
            in: 'body',
            path: name,
            code: 'unexpectedFile',
            message: `file field ${quote(name)} is not expected`,
          },
        ]),
      );
      return undefined;
    }
    if (rule.contentTypes !== undefined && !rule.contentTypes.some((accepted) => mediaTypeMatches(accepted, type))) {
      this.refuse(
        requestError(
          ErrorCodes.UNSUPPORTED_FILE_TYPE,
          `The file in ${quote(name)} is ${type}; accepted: ${rule.contentTypes.join(', ')}.`,
        ),
      );
      return undefined;
    }
    const count = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, count);
    if (count > rule.maxCount) {
      this.refuse(tooMany(ErrorCodes.TOO_MANY_FILES, `more than ${rule.maxCount} files in ${quote(name)}`));
      return undefined;
    }
    return rule;
  }
}

/**
 * A file the handler receives: its bytes, held in memory (the parser collected them as they
 * arrived, within the field's `maxFileSize`), and a stream over them for APIs that take one.
 */
class ReceivedFile implements UploadedFile {
  readonly size: number;

  constructor(
    readonly fieldName: string,
    readonly fileName: string,
    readonly contentType: string,
    readonly bytes: Buffer,
  ) {
    this.size = bytes.length;
  }

  stream(): Readable {
    // A byte stream (not object mode) of views on the bytes, 64 kB at a time: no copy.
    return Readable.from(slicesOf(this.bytes), { objectMode: false });
  }
}

function* slicesOf(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += STREAM_SLICE)
    yield bytes.subarray(offset, offset + STREAM_SLICE);
}

const STREAM_SLICE = 64 * 1024;

/**
 * A file's bytes from the views busboy cut out of the written chunks. A buffered body (Lambda,
 * inject) is written as slices of one Buffer, so its files are views of it: no copy at all. Bytes
 * from the socket (node:http) arrive in separate reads and are copied once, at the end.
 */
function joinChunks(chunks: readonly Buffer[], size: number): Buffer {
  const first = chunks[0];
  if (first === undefined) return Buffer.alloc(0);
  let end = first.byteOffset + first.length;
  for (let i = 1; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    if (chunk.buffer !== first.buffer || chunk.byteOffset !== end) return Buffer.concat(chunks, size);
    end += chunk.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, size);
}

/**
 * The boundary busboy will read (the first `boundary` parameter), or undefined for none usable:
 * empty, holding CR or LF, or longer than RFC 2046 §5.1.1's 70 characters, which also bounds what
 * each step of the boundary searches (busboy's and crest's) can cost.
 */
function boundaryOf(contentType: string): string | undefined {
  const parsed = parseHeaderParameters(contentType);
  const boundary = parsed === undefined ? undefined : parameterOf(parsed, 'boundary');
  return boundary === undefined || boundary === '' || boundary.length > 70 || /[\r\n]/.test(boundary)
    ? undefined
    : boundary;
}

/**
 * Busboy's part splitter (Dicer, which @fastify/busboy also exports), for the raw headers of each
 * part. Busboy keeps it as `_parser.parser`, an internal field: should a release move it, file
 * names fall back to busboy's own (`filename*` then wins only when written last), never a failed
 * request; the `filename*` tests (either order) fail, so an upgrade cannot go unnoticed here.
 */
function dicerOf(busboy: BusboyInstance): EventEmitter | undefined {
  const dicer = (busboy as unknown as { _parser?: { parser?: unknown } })._parser?.parser;
  return dicer instanceof EventEmitter ? dicer : undefined;
}

/** `image/*` matches `image/png`; `*\/*` matches anything; otherwise the exact type. */
function mediaTypeMatches(accepted: string, type: string): boolean {
  if (accepted === '*/*' || accepted === type) return true;
  return accepted.endsWith('/*') && type.startsWith(accepted.slice(0, -1));
}

function quote(name: string | undefined): string {
  return name === undefined ? '(unnamed)' : JSON.stringify(name);
}

function invalid(message: string): HttpError {
  return requestError(ErrorCodes.INVALID_MULTIPART, message);
}

function tooLarge(code: RequestErrorCode, message: string): HttpError {
  return requestError(code, message);
}

function tooMany(code: RequestErrorCode, what: string): HttpError {
  return requestError(code, `The multipart/form-data body has ${what}.`);
}
