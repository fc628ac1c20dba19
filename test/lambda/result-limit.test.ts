import { expect } from 'chai';
import { ALB_RESULT_LIMIT, fitsResultLimit, LAMBDA_RESULT_LIMIT } from '../../src/transports/lambda/result-parts';

type Result = { body: string; isBase64Encoded: boolean } & Record<string, unknown>;

/** What the runtime measures: the result's JSON in UTF-8. */
const serializedSize = (result: Result) => Buffer.byteLength(JSON.stringify(result), 'utf8');

/** `result` with its body grown by one-byte characters until its JSON is `size` bytes. */
function resultOfSize(result: Result, size: number): Result {
  const padding = size - serializedSize(result);
  if (padding < 0) throw new Error('the body start is already over the size');
  return { ...result, body: result.body + (result.isBase64Encoded ? 'A' : 'a').repeat(padding) };
}

const albResult = (body: string, isBase64Encoded: boolean): Result => ({
  statusCode: 200,
  statusDescription: '200 OK',
  headers: { 'content-type': isBase64Encoded ? 'image/png' : 'text/plain; charset=utf-8', 'x-é': 'ü' },
  body,
  isBase64Encoded,
});
const restResult = (body: string, isBase64Encoded: boolean): Result => ({
  statusCode: 200,
  headers: { 'content-type': isBase64Encoded ? 'image/png' : 'text/plain; charset=utf-8' },
  multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
  body,
  isBase64Encoded,
});

describe('fitsResultLimit', () => {
  const limits: Array<[string, number, (body: string, isBase64Encoded: boolean) => Result]> = [
    ['ALB (1 MB)', ALB_RESULT_LIMIT, albResult],
    ['the other sources (6 MB)', LAMBDA_RESULT_LIMIT, restResult],
  ];
  const bodies: Array<[string, string, boolean]> = [
    ['base64', 'iVBORw0KGgo+/+/', true],
    ['ASCII text', 'plain', false],
    ['text that JSON escapes', '"quoted" \\ back\nslash\t\u0001\u001f\u007f', false],
    ['multi-byte text', 'é東京😀', false],
    ['text with lone surrogates', 'a\ud800b\udc00c', false],
    ['text that is nearly all escapes', '\u0001'.repeat(150_000), false],
  ];
  for (const [limitName, limit, shape] of limits) {
    for (const [bodyName, start, isBase64Encoded] of bodies) {
      for (const [relation, delta] of [
        ['one byte under', -1],
        ['exactly at', 0],
        ['one byte over', 1],
      ] as const) {
        it(`${delta <= 0 ? 'accepts' : 'refuses'} ${bodyName} ${relation} the limit of ${limitName}`, () => {
          const result = resultOfSize(shape(start, isBase64Encoded), limit + delta);
          expect(serializedSize(result)).to.equal(limit + delta);
          expect(fitsResultLimit(result, limit)).to.equal(delta <= 0);
        });
      }
    }
  }

  describe('when the body is base64 or far below the limit', () => {
    const cases: Array<[string, Result, number]> = [
      ['930 KB of base64 on ALB', albResult('A'.repeat(930_000), true), ALB_RESULT_LIMIT],
      ['5 MB of base64 on REST', restResult('A'.repeat(5_000_000), true), LAMBDA_RESULT_LIMIT],
      ['100 KB of text on ALB', albResult('"a"\n'.repeat(25_000), false), ALB_RESULT_LIMIT],
      ['2 MB of text, over the ALB limit as UTF-8 alone', albResult('é'.repeat(1_000_000), false), ALB_RESULT_LIMIT],
    ];
    for (const [name, result, limit] of cases) {
      it(`measures ${name} without serializing the body`, () => {
        const stringify = JSON.stringify;
        let longest = 0;
        JSON.stringify = ((...args: Parameters<typeof stringify>) => {
          const text = stringify(...args);
          longest = Math.max(longest, text.length);
          return text;
        }) as typeof stringify;
        try {
          fitsResultLimit(result, limit);
        } finally {
          JSON.stringify = stringify;
        }
        expect(longest).to.be.below(1000);
      });
    }
  });
});
