import { expect } from 'chai';
import { Controller, createApp, Get, HttpResponse, Param } from '../../src';
import { lambdaContext } from '../../src/testing';
import { BUFFERED_SOURCES } from './support/buffered-sources';

/** Text-like media types a handler answers with; each must reach the client as text, not base64. */
const TEXT_TYPES = [
  'application/x-ndjson; charset=utf-8',
  'application/ndjson',
  'application/jsonl',
  'application/json-seq',
  'application/yaml',
  'application/vnd.api+json',
  'application/atom+xml',
  'text/csv',
  'application/javascript',
];

const LINES = '{"code":"1000001","city":"東京"}\n{"code":"1000002"}\n';

@Controller()
class TextController {
  /** Streamed, as the example's NDJSON export is: the buffered handler collects it into bytes. */
  @Get('/stream/:index')
  stream(@Param('index') index: number) {
    async function* lines() {
      yield LINES;
    }
    return HttpResponse.stream(lines(), { headers: { 'content-type': TEXT_TYPES[index]! } });
  }
}

describe('the buffered Lambda handler', () => {
  const handler = createApp({ controllers: [TextController] }).lambda();

  for (const { name: source, event: toEvent } of BUFFERED_SOURCES) {
    describe(`when a ${source} route streams a text-like media type`, () => {
      TEXT_TYPES.forEach((type, index) => {
        it(`sends ${type} as text, not base64`, async () => {
          const result = (await handler(toEvent({ url: `/stream/${index}` }), lambdaContext())) as {
            statusCode: number;
            body: string;
            isBase64Encoded: boolean;
          };
          expect(result.statusCode).to.equal(200);
          expect(result.isBase64Encoded).to.equal(false);
          expect(result.body).to.equal(LINES);
        });
      });
    });
  }
});
