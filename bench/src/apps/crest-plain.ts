import { BadRequestError, Body, Controller, createApp, Get, Param, Post, Query, type App } from 'crest';
import { isEchoInput } from '../workload';
import { addExtraRoutes } from './decorated-extras';

class ExtrasController {}
addExtraRoutes(ExtrasController, Get, Param);
Controller()(ExtrasController);

/** The same routes with no DTO anywhere: class-validator is never loaded (the cold-start target). */
@Controller()
class PlainBenchController {
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
  echo(@Body() input: object) {
    if (!isEchoInput(input)) throw new BadRequestError('name: string and age: integer expected');
    return input;
  }
}

export function createCrestPlainApp(): App {
  return createApp({ controllers: [ExtrasController, PlainBenchController] });
}
