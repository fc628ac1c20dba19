import { Body, Controller, createApp, Get, Param, Post, Query, ResponseSchema, type App } from 'crest';
import { EchoDto, UserAnswer } from '../two-dtos';
import { addExtraRoutes } from './decorated-extras';

class ExtrasController {}
addExtraRoutes(ExtrasController, Get, Param);
Controller()(ExtrasController);

/**
 * The cold-start app with DTOs: crest-plain's routes with two class-validator DTOs, POST /echo's
 * body (`EchoDto`) and GET /users/:id's answer (`UserAnswer`, the route the cold probe calls), so
 * that boot compiles both and the first event goes through the compiled serializer.
 */
@Controller()
class TwoDtosBenchController {
  @Get('/hello')
  hello() {
    return { hello: 'world' };
  }

  @Get('/users/:id')
  @ResponseSchema(UserAnswer)
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

export function createCrestTwoDtosApp(): App {
  return createApp({ controllers: [ExtrasController, TwoDtosBenchController] });
}
