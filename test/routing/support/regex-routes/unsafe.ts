/*
 * An app whose route regex nests repetitions (`(a+)+`, exponential backtracking): find-my-way
 * refuses it at registration, so the app must not boot from either of crest's builds.
 */
import { Controller, createApp, Get, Param } from 'crest';

@Controller('/n')
class BacktrackingController {
  @Get('/:id(^(a+)+$)')
  show(@Param('id', { type: String }) id: string) {
    return { id };
  }
}

export const app = createApp({ controllers: [BacktrackingController] });
export const handler = app.lambda();
