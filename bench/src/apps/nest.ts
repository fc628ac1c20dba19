import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Param,
  Post,
  Query,
  ValidationPipe,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Express } from 'express';
import { EchoDto } from '../dto';
import { addExtraRoutes } from './decorated-extras';

class ExtrasController {}
addExtraRoutes(ExtrasController, Get, Param);
Controller()(ExtrasController);

@Controller()
class BenchController {
  @Get('/hello')
  hello() {
    return { hello: 'world' };
  }

  @Get('/users/:id')
  user(@Param('id') id: string) {
    return { id };
  }

  @Get('/search')
  search(@Query('q') q: string, @Query('tag') tag: string | string[] | undefined) {
    return { q, tags: tag === undefined ? [] : Array.isArray(tag) ? tag : [tag] };
  }

  @Post('/echo')
  @HttpCode(200)
  echo(@Body() input: EchoDto) {
    return input;
  }
}

@Module({ controllers: [ExtrasController, BenchController] })
class BenchModule {}

export type NestPlatform = 'express' | 'fastify';

/** NestJS with a global ValidationPipe (class-validator, the options crest uses). */
export async function createNestApp(platform: NestPlatform, expressApp?: Express): Promise<INestApplication> {
  const adapter = platform === 'express' ? new ExpressAdapter(expressApp) : new FastifyAdapter();
  const app = await NestFactory.create(BenchModule, adapter, { logger: false, abortOnError: false });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true }),
  );
  if (platform === 'express') {
    const instance = app.getHttpAdapter().getInstance() as Express;
    instance.disable('x-powered-by');
    instance.disable('etag');
  }
  await app.init();
  return app;
}
