import { Body, Controller, createApp, Get, HttpError, Param, Post, Query, ResponseSchema, type App } from 'crest';
import { EchoDto, HelloAnswer, LookupQuery, PostalAnswer, SearchAnswer, UserAnswer } from '../dto';
import { postalAnswer, loadPostalData } from './postal';
import { addExtraRoutes } from './decorated-extras';

class ExtrasController {}
addExtraRoutes(ExtrasController, Get, Param);
Controller()(ExtrasController);

@Controller()
class BenchController {
  @Get('/hello')
  @ResponseSchema(HelloAnswer)
  hello() {
    return { hello: 'world' };
  }

  @Get('/users/:id')
  @ResponseSchema(UserAnswer)
  user(@Param('id') id: string) {
    return { id };
  }

  @Get('/search')
  @ResponseSchema(SearchAnswer)
  search(@Query('q') q: string, @Query('tag', { type: [String] }) tags: string[]) {
    return { q, tags };
  }

  @Post('/echo')
  @ResponseSchema(EchoDto)
  echo(@Body() input: EchoDto) {
    return input;
  }
}

@Controller()
class PostalController {
  @Get('/postal_code')
  @ResponseSchema(PostalAnswer)
  lookup(@Query() { code }: LookupQuery) {
    const [status, body] = postalAnswer(code);
    if (status !== 200) throw new HttpError(status, 'no such postal code');
    return body;
  }
}

export function createCrestApp(options: { postal?: boolean } = {}): App {
  if (options.postal) loadPostalData();
  return createApp({
    controllers: [ExtrasController, BenchController, ...(options.postal ? [PostalController] : [])],
  });
}
