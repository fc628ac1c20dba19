import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
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
import { EchoDto, LookupQuery } from '../dto';
import { postalAnswer, loadPostalData } from './postal';
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

@Controller()
class PostalController {
  @Get('/postal_code')
  lookup(@Query() { code }: LookupQuery) {
    const [status, body] = postalAnswer(code);
    if (status !== 200) throw new HttpException(body as object, status);
    return body;
  }
}

@Module({ controllers: [ExtrasController, BenchController] })
class BenchModule {}

@Module({ controllers: [ExtrasController, BenchController, PostalController] })
class PostalBenchModule {}

export type NestPlatform = 'express' | 'fastify';

/** NestJS with a global ValidationPipe (class-validator, the options crest uses). */
export async function createNestApp(
  platform: NestPlatform,
  options: { expressApp?: Express; postal?: boolean } = {},
): Promise<INestApplication> {
  const adapter = platform === 'express' ? new ExpressAdapter(options.expressApp) : new FastifyAdapter();
  const app = await NestFactory.create(options.postal ? PostalBenchModule : BenchModule, adapter, {
    logger: false,
    abortOnError: false,
  });
  if (options.postal) loadPostalData();
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
