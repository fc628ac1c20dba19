import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { median } from '../stats';

/*
 * `node .build/src/micro/lazy-request-parts.js` (pin it: `taskset -c 0 …`): what crest's node:http
 * transport would pay on every request if it did not defer two things to the handlers that ask
 * (bench/PROFILE.md, round 5): Node's `headersDistinct` of a request with twelve browser-like
 * headers (crest hands `headerLists` over as a function, called by `req.headerValues()`), and a
 * `'close'` listener on the response (crest adds it when `req.signal` is first read:
 * `watchAbort`). `headers`, which every request reads, is shown for scale.
 */

const RAW_HEADERS = [
  ['Host', 'example.com'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0'],
  ['Accept', 'application/json'],
  ['Accept-Language', 'en-GB,en;q=0.9'],
  ['Accept-Encoding', 'gzip, deflate, br'],
  ['Connection', 'keep-alive'],
  ['Cookie', 'session=abc; theme=dark'],
  ['Sec-Fetch-Dest', 'empty'],
  ['Sec-Fetch-Mode', 'cors'],
  ['Sec-Fetch-Site', 'same-origin'],
  ['Referer', 'https://example.com/'],
  ['Priority', 'u=1'],
].flat();
const CALLS = 200_000;
const socket = new Socket();

/** Median ns of `work` on fresh objects, made before the clock starts. */
function time<T>(label: string, make: () => T, work: (made: T) => unknown): void {
  const samples: number[] = [];
  for (let round = 0; round < 9; round++) {
    const made = Array.from({ length: CALLS }, make);
    const started = process.hrtime.bigint();
    for (const item of made) work(item);
    samples.push(Number(process.hrtime.bigint() - started) / CALLS);
  }
  console.log(`${label.padEnd(48)} ${median(samples).toFixed(0)} ns`);
}

const request = (): IncomingMessage => {
  const message = new IncomingMessage(socket);
  message.rawHeaders = RAW_HEADERS;
  return message;
};
const listened = new IncomingMessage(socket);
listened.method = 'GET';
const ignore = (): void => undefined;

time('headers (read by every request)', request, (message) => message.headers);
time('headersDistinct (headerLists, if eager)', request, (message) => message.headersDistinct);
time(
  "response.once('close') (watchAbort, if eager)",
  () => new ServerResponse(listened),
  (response) => response.once('close', ignore),
);
