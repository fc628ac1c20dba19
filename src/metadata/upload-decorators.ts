import { controllerMetadata, handlerFor, type UploadOptions } from './metadata';
import type { UploadedFile as UploadedFileType } from '../http/multipart';
import { MultipartReader } from '../http/multipart-reader';

function upload(kind: 'file' | 'files', field: string, options: UploadOptions): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined)
      throw new TypeError('crest parameter decorators belong on methods, not constructors');
    handlerFor(target.constructor, propertyKey).params.push({
      index,
      kind,
      name: field,
      options: {},
      upload: { ...options },
      parser: MultipartReader,
    });
  };
}

/**
 * The file of a multipart/form-data field, as an {@link UploadedFile} (`undefined` when none was
 * sent, unless `required`). One file at most: a second in the field is a 413. A file in a field no
 * decorator of the method names is refused (400), like an unknown JSON property; text fields go
 * to `@Body()`.
 *
 * @example @Post('/avatar') upload(@UploadedFile('avatar', { contentTypes: ['image/*'], maxFileSize: 1e6 }) avatar: UploadedFile) {}
 */
export function UploadedFile(field: string, options: Omit<UploadOptions, 'maxCount'> = {}): ParameterDecorator {
  return upload('file', field, { ...options, maxCount: 1 });
}

/**
 * Every file of a multipart/form-data field, as an array of {@link UploadedFile} (empty when none
 * was sent, unless `required`); more than `maxCount` is a 413.
 *
 * @example @Post('/photos') add(@UploadedFiles('photos', { maxCount: 10 }) photos: UploadedFile[]) {}
 */
export function UploadedFiles(field: string, options: UploadOptions = {}): ParameterDecorator {
  return upload('files', field, options);
}

/**
 * The method's `@Body()` (or every method's, on a class) also reads `multipart/form-data`: an HTML
 * form posted with `enctype="multipart/form-data"` and text fields only. Its DTO validates the
 * text fields as on a route with file fields (strings converted to its property types); a file in
 * any field is refused like an unknown property, and JSON bodies are still read. Without it, such
 * a route answers a multipart body with 415: only an app that asks for multipart loads and bundles
 * the parser (some 36 kB minified).
 *
 * @example @Post('/contact') @Multipart() send(@Body() message: ContactForm) {}
 */
export function Multipart(): MethodDecorator & ClassDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) controllerMetadata(target, true)!.multipart = MultipartReader;
    else handlerFor((target as { constructor: object }).constructor, propertyKey).multipart = MultipartReader;
  };
}

/** One uploaded file: `{ fieldName, fileName, contentType, size, bytes, stream() }` (the type of `@UploadedFile()`). */
export type UploadedFile = UploadedFileType;
