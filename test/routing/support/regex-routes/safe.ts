/*
 * An app whose route holds a regex find-my-way accepts; test/routing/regex-safety.test.ts runs it
 * compiled by tsc (crest's CommonJS build, the real safe-regex2) and bundled as ESM (crest's ESM
 * build, src/router/regex-safety.ts).
 */
import { Controller, createApp, Get, Param } from 'crest';

@Controller('/n')
class NumbersController {
  @Get('/:id(^\\d+$)')
  show(@Param('id', { type: String }) id: string) {
    return { id };
  }
}

export const app = createApp({ controllers: [NumbersController] });
export const handler = app.lambda();
