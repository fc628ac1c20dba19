import 'reflect-metadata';
import { Controller, Cookie, createApp, Get, Header, HttpRequest, Param, Query } from 'crest';
import { median } from '../stats';

/*
 * `node .build/src/micro/number-param.js` (pin it: `taskset -c 0 …`): what a long digit run
 * ending in a non-digit (`111…1x`) costs a `Number` parameter of each kind, at 1×, 4× and 16×
 * size, dispatched in-process. Every answer must be the 400 for a value that is not a number;
 * prints the median ms per request and the 16×/1× growth (linear is ~16).
 */

@Controller()
class NumbersController {
  @Get('/cookie') cookie(@Cookie('visits') visits: number) {
    return { visits };
  }
  @Get('/query') query(@Query('n') n: number) {
    return { n };
  }
  @Get('/header') header(@Header('x-n') n: number) {
    return { n };
  }
  @Get('/param/:n') param(@Param('n') n: number) {
    return { n };
  }
}

const app = createApp({ controllers: [NumbersController], maxParamLength: 1 << 20, maxUrlLength: 1 << 20 });
const SIZES = [4096, 16_384, 65_536];
const ROUNDS = 7;

function request(kind: string, value: string): HttpRequest {
  const init = { method: 'GET', headers: Object.create(null) as Record<string, string>, source: 'inject' as const };
  switch (kind) {
    case 'cookie':
      return new HttpRequest({ ...init, rawPath: '/cookie', headers: { cookie: `visits=${value}` } });
    case 'query':
      return new HttpRequest({ ...init, rawPath: '/query', rawQuery: `n=${value}` });
    case 'header':
      return new HttpRequest({ ...init, rawPath: '/header', headers: { 'x-n': value } });
    default:
      return new HttpRequest({ ...init, rawPath: `/param/${value}` });
  }
}

/** Milliseconds per request: enough calls to last about 200 ms, at least one. */
async function timeRequests(kind: string, value: string): Promise<number> {
  let calls = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  do {
    const response = await app.handle(request(kind, value));
    if (response.status !== 400) throw new Error(`${kind}: expected a 400`);
    calls++;
    elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  } while (elapsed < 200);
  return elapsed / calls;
}

async function main(): Promise<void> {
  for (const kind of ['cookie', 'query', 'header', 'param']) {
    const medians: number[] = [];
    for (const size of SIZES) {
      const value = `${'1'.repeat(size - 1)}x`;
      await timeRequests(kind, value); // warm-up round
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) times.push(await timeRequests(kind, value));
      medians.push(median(times));
    }
    const cells = medians.map((ms, i) => `${(SIZES[i]! / 1024).toFixed(0)} KiB ${ms.toFixed(4)} ms`);
    console.log(`${kind.padEnd(7)} ${cells.join('  ')}  16×/1× ${(medians[2]! / medians[0]!).toFixed(1)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
