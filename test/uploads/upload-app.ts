import { IsInt, IsOptional, IsString, Max } from 'class-validator';
import { Body, Controller, Multipart, Post, Req, UploadedFile, UploadedFiles, type HttpRequest } from '../../src';

export class PhotoMeta {
  @IsString() title!: string;
  @IsInt() @Max(3000) year!: number;
  @IsOptional() @IsString() note?: string;
}

/** What a handler saw of one file, printable as JSON. */
export function describeFile(file: UploadedFile | undefined) {
  if (file === undefined) return null;
  const { fieldName, fileName, contentType, size, bytes } = file;
  return { fieldName, fileName, contentType, size, hex: bytes.toString('hex') };
}

/** The routes the upload tests run on every transport. */
@Controller('/uploads')
export class UploadsController {
  @Post('/doc')
  doc(@UploadedFile('doc', { required: true, maxFileSize: 64 * 1024 }) doc: UploadedFile, @Body() meta: PhotoMeta) {
    return { doc: describeFile(doc), meta };
  }

  @Post('/photos')
  photos(
    @UploadedFiles('photos', { maxCount: 3, contentTypes: ['image/*'] }) photos: UploadedFile[],
    @UploadedFile('cover') cover: UploadedFile | undefined,
  ) {
    return { photos: photos.map(describeFile), cover: describeFile(cover) };
  }

  @Post('/fields')
  fields(@Body() fields: object, @UploadedFiles('attachments') attachments: UploadedFile[]) {
    return { fields, attachments: attachments.length };
  }

  @Post('/json')
  json(@Body() body: object) {
    return body;
  }

  /** An HTML form with text fields only, posted as multipart/form-data or sent as JSON. */
  @Post('/meta')
  @Multipart()
  meta(@Body() meta: PhotoMeta) {
    return meta;
  }

  @Post('/stream')
  async stream(@UploadedFile('doc', { required: true }) doc: UploadedFile) {
    const chunks: Buffer[] = [];
    for await (const chunk of doc.stream()) chunks.push(chunk as Buffer);
    return { size: doc.size, streamed: Buffer.concat(chunks).toString('hex') };
  }

  @Post('/form')
  form(@Req() req: HttpRequest) {
    return req.form();
  }
}

/** `@Multipart()` on a class: every method's `@Body()` reads multipart text fields. */
@Multipart()
@Controller('/forms')
export class FormsController {
  @Post('/fields')
  fields(@Body() fields: object) {
    return fields;
  }
}
