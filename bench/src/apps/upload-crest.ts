import 'reflect-metadata';
import { Controller, createApp, HttpCode, Post, UploadedFile, type App } from 'crest';
import { UPLOAD_FIELD, UPLOAD_PATH, UPLOAD_SIZE_LIMIT, type UploadAnswer } from './upload-workload';

@Controller()
class UploadController {
  @Post(UPLOAD_PATH)
  @HttpCode(200)
  upload(
    @UploadedFile(UPLOAD_FIELD, { required: true, maxFileSize: UPLOAD_SIZE_LIMIT }) file: UploadedFile,
  ): UploadAnswer {
    return { name: file.fileName, size: file.size };
  }
}

/** crest's upload route: `@UploadedFile` buffers the file (`bytes`) as the peers do. */
export function createCrestUploadApp(): App {
  return createApp({ controllers: [UploadController] });
}
