import 'reflect-metadata';
import { Controller, createApp, Get, HttpRequest, Query, ResponseSchema, type App } from 'crest';
import { SearchAnswer } from '../dto';
import { median } from '../stats';

/*
 * `node .build/src/micro/response-schema.js` (pin it: `taskset -c 0 …`): crest's in-process
 * dispatch of the bench's GET /search, with and without `@ResponseSchema`, alternated; prints
 * the median ns per request of each. The serializer compiled from the response DTO against
 * JSON.stringify, everything else equal.
 */

@Controller()
class WithoutSchema {
  @Get('/search')
  search(@Query('q') q: string, @Query('tag', { type: [String] }) tags: string[]) {
    return { q, tags };
  }
}

@Controller()
class WithSchema {
  @Get('/search')
  @ResponseSchema(SearchAnswer)
  search(@Query('q') q: string, @Query('tag', { type: [String] }) tags: string[]) {
    return { q, tags };
  }
}

const EXPECTED = '{"q":"x","tags":["a","b"]}';
const CALLS = 200_000;

async function timeDispatch(app: App): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const response = await app.handle(
      new HttpRequest({
        method: 'GET',
        rawPath: '/search',
        rawQuery: 'q=x&tag=a&tag=b',
        headers: {},
        source: 'inject',
      }),
    );
    if (response.payload() !== EXPECTED) throw new Error('unexpected answer');
  }
  return Number(process.hrtime.bigint() - started) / CALLS;
}

const apps = {
  'JSON.stringify': createApp({ controllers: [WithoutSchema] }),
  '@ResponseSchema': createApp({ controllers: [WithSchema] }),
};
const samples: Record<string, number[]> = { 'JSON.stringify': [], '@ResponseSchema': [] };
async function main(): Promise<void> {
  for (let round = 0; round < 12; round++) {
    for (const [name, app] of Object.entries(apps)) {
      const ns = await timeDispatch(app);
      if (round >= 2) samples[name]!.push(ns); // the first two rounds warm the JIT
    }
  }
  for (const [name, list] of Object.entries(samples))
    console.log(`${name.padEnd(16)} ${median(list).toFixed(0)} ns per request`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
