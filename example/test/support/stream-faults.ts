import { Controller, createApp, Get, HttpRequest, HttpResponse, Req } from 'crest';

/**
 * A function for the runtime tests whose streamed bodies fail in every way a real source can
 * (the example's export with Redis gone mid-way, a dependency that never answers). Loaded by the
 * RIC from the build directory: `stream-faults.streamingHandler`.
 */
@Controller()
class StreamFaultsController {
  /** A healthy stream: `n` lines. */
  @Get('/lines')
  lines(@Req() req: HttpRequest) {
    return ndjson(lines(Number(req.query.n?.[0] ?? 3)));
  }

  /** The source throws once its first chunk is out (the status is committed). */
  @Get('/fail-after-first')
  failAfterFirst() {
    return ndjson(failing(1));
  }

  /** The source throws before it produces anything. */
  @Get('/fail-before-first')
  failBeforeFirst() {
    return ndjson(failing(0));
  }

  /** One chunk, then a source that never produces another (nor listens to cancellation). */
  @Get('/stalls-after-first')
  stallsAfterFirst() {
    return ndjson(stalling(1));
  }

  /** A source that never produces its first chunk. */
  @Get('/stalls-before-first')
  stallsBeforeFirst() {
    return ndjson(stalling(0));
  }
}

function ndjson(source: AsyncIterable<string>): HttpResponse {
  return HttpResponse.stream(source, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
}

async function* lines(count: number): AsyncIterable<string> {
  for (let i = 0; i < count; i++) yield `${JSON.stringify({ line: i })}\n`;
}

async function* failing(after: number): AsyncIterable<string> {
  yield* lines(after);
  throw new Error('the store went away');
}

async function* stalling(after: number): AsyncIterable<string> {
  yield* lines(after);
  await new Promise<never>(() => {});
}

export const streamingHandler = createApp({ controllers: [StreamFaultsController] }).lambdaStreaming();
