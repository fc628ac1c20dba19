import { Body, Controller, createApp, Get, HttpError, Param, Post, Query, type App } from 'crest';
import { EchoDto, LookupQuery } from '../dto';
import { postalAnswer, postalMap } from './postal';
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
  search(@Query('q') q: string, @Query('tag', { type: [String] }) tags: string[]) {
    return { q, tags };
  }

  @Post('/echo')
  echo(@Body() input: EchoDto) {
    return input;
  }
}

@Controller()
class PostalController {
  @Get('/postal_code')
  lookup(@Query() { code }: LookupQuery) {
    const [status, body] = postalAnswer(code);
    if (status !== 200) throw new HttpError(status, 'no such postal code');
    return body;
  }
}

export function createCrestApp(options: { postal?: boolean } = {}): App {
  if (options.postal) postalMap();
  return createApp({
    controllers: [ExtrasController, BenchController, ...(options.postal ? [PostalController] : [])],
  });
}
