import 'reflect-metadata';
import {
  BadRequestException,
  Controller,
  HttpCode,
  Module,
  Post,
  UploadedFile,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, FileInterceptor } from '@nestjs/platform-express';
import { UPLOAD_FIELD, UPLOAD_PATH, UPLOAD_SIZE_LIMIT, type UploadAnswer } from './upload-workload';

/** What multer's memory storage hands the handler (the part of Express.Multer.File read here). */
interface MulterFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

@Controller()
class UploadController {
  @Post(UPLOAD_PATH)
  @HttpCode(200)
  @UseInterceptors(FileInterceptor(UPLOAD_FIELD, { limits: { fileSize: UPLOAD_SIZE_LIMIT, files: 1 } }))
  upload(@UploadedFile() file: MulterFile | undefined): UploadAnswer {
    if (file === undefined) throw new BadRequestException('no file');
    return { name: file.originalname, size: file.buffer.length };
  }
}

@Module({ controllers: [UploadController] })
class UploadModule {}

/** NestJS on express with FileInterceptor (multer, memory storage: the file kept as a Buffer). */
export async function createNestUploadApp(): Promise<INestApplication> {
  return NestFactory.create(UploadModule, new ExpressAdapter(), { logger: false, abortOnError: false });
}
