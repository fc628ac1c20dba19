/*
 * The same kind of app without a DTO: crest must not run class-validator or class-transformer for
 * it, bundled in any format or compiled by tsc, so that its cold start does not pay for them.
 */
import { Body, Controller, createApp, Get, Param, Post } from 'crest';

@Controller('/notes')
class NotesController {
  @Get('/:id')
  show(@Param('id', { type: Number }) id: number) {
    return { id };
  }

  @Post('/')
  create(@Body(Object) note: Record<string, unknown>) {
    return { received: Object.keys(note) };
  }
}

export const app = createApp({ controllers: [NotesController], prefix: '/api' });
export const handler = app.lambda();
