import 'reflect-metadata';
import type { Express } from 'express';
import {
  Body,
  createExpressServer,
  Get,
  HttpError,
  JsonController,
  Param,
  Post,
  QueryParam,
  QueryParams,
} from 'routing-controllers';
import { EchoDto, LookupQuery } from '../dto';
import { postalAnswer, loadPostalData } from './postal';
import { addExtraRoutes } from './decorated-extras';

class ExtrasController {}
addExtraRoutes(
  ExtrasController,
  (path) => Get(path) as MethodDecorator,
  (name) => Param(name) as ParameterDecorator,
);
JsonController()(ExtrasController);

@JsonController()
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
  search(@QueryParam('q') q: string, @QueryParam('tag', { isArray: true, type: String }) tags: string[]) {
    return { q, tags };
  }

  @Post('/echo')
  echo(@Body() input: EchoDto) {
    return input;
  }
}

@JsonController()
class PostalController {
  @Get('/postal_code')
  lookup(@QueryParams() { code }: LookupQuery) {
    const [status, body] = postalAnswer(code);
    if (status !== 200) throw new HttpError(status, 'no such postal code');
    return body;
  }
}

/** routing-controllers on express 5, class-validator with the same options crest uses. */
export function createRoutingControllersApp(options: { postal?: boolean } = {}): Express {
  if (options.postal) loadPostalData();
  const app = createExpressServer({
    controllers: [ExtrasController, BenchController, ...(options.postal ? [PostalController] : [])],
    classTransformer: true,
    validation: { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true },
    defaultErrorHandler: true,
  }) as Express;
  app.disable('x-powered-by');
  app.disable('etag');
  return app;
}
