import { Body, Controller, createApp, Get, Param, Post, Query, type App } from 'crest';
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
  search(@Query('q') q: string, @Query('tag', { type: [String] }) tags: string[]) {
    return { q, tags };
  }

  @Post('/echo')
  echo(@Body() input: EchoDto) {
    return input;
  }
}

export function createCrestApp(): App {
  return createApp({ controllers: [ExtrasController, BenchController] });
}
