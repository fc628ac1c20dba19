import type { Express } from 'express';
import { Body, createExpressServer, Get, JsonController, Param, Post, QueryParam } from 'routing-controllers';
import { EchoDto } from '../dto';
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

/** routing-controllers on express 5, class-validator with the same options crest uses. */
export function createRoutingControllersApp(): Express {
  const app = createExpressServer({
    controllers: [ExtrasController, BenchController],
    classTransformer: true,
    validation: { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true },
    defaultErrorHandler: true,
  }) as Express;
  app.disable('x-powered-by');
  app.disable('etag');
  return app;
}
