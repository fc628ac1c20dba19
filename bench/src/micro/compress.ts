import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import { compress, Controller, createApp, etag, Get, type App } from 'crest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import { compress as honoCompress } from 'hono/compress';
import { etag as honoEtag } from 'hono/etag';
import { recordSection } from '../recorded-sections';
import { crestCommit, loadAverage, machine } from '../run-info';
import { median } from '../stats';

/*
 * `npm run build && node .build/src/micro/compress.js [--record]`: the cost per request of
 * response compression (a 10 kB JSON answer, gzip and brotli) and of ETags (a 200 that gets one,
 * a 304 for a matching If-None-Match), in-process: crest's `app.inject()`, fastify's `inject()`
 * with @fastify/compress, hono's `app.request()` with hono/compress and hono/etag. Each
 * framework is timed with and without the middleware in the same process, alternated over
 * rounds, and the table gives the median µs per request and the difference the middleware
 * makes. The process re-runs itself pinned to CPU 0 (taskset). `--record` puts the table in
 * RESULTS.md between its markers, which `npm run bench` keeps.
 */

const ROUNDS = 12;
const WARM_ROUNDS = 2;
const MIN_CALLS = 300;
const MIN_NS = 150_000_000;

/** About 10 kB of JSON records, as an API page of results looks (repeated keys, varied values). */
const DATA = {
  items: Array.from({ length: 185 }, (_, id) => ({
    id,
    name: `user ${id.toString(36)}`,
    city: ['Tokyo', 'Osaka', 'Sapporo', 'Fukuoka'][id % 4]!,
    active: id % 3 !== 0,
  })),
};
const JSON_TEXT = JSON.stringify(DATA);

/** What every variant answers: status, the body once decoded, and the headers that matter. */
interface Answer {
  status: number;
  encoding: string | undefined;
  etag: string | undefined;
  body: Buffer;
}

type Send = (headers: Record<string, string>) => Promise<Answer>;

interface Variant {
  framework: Framework;
  /** What the middleware does in this variant; `plain` is the framework without it. */
  scenario: Scenario;
  send: Send;
  /** The request headers of the scenario. */
  headers: Record<string, string>;
}

type Framework = 'crest' | 'fastify' | 'hono' | 'reference';
const FRAMEWORKS: readonly Framework[] = ['crest', 'fastify', 'hono', 'reference'];

type Scenario = 'plain' | 'gzip' | 'br' | 'etag 200' | 'etag 304';
const SCENARIOS: readonly Scenario[] = ['plain', 'gzip', 'br', 'etag 200', 'etag 304'];

@Controller()
class DataController {
  @Get('/data')
  data() {
    return DATA;
  }
}

function crestSend(app: App): Send {
  return async (headers) => {
    const response = await app.inject({ url: '/data', headers });
    return {
      status: response.statusCode,
      encoding: response.headers['content-encoding'] as string | undefined,
      etag: response.headers.etag as string | undefined,
      body: response.rawBody,
    };
  };
}

async function fastifyApp(plugin: 'none' | 'compress'): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (plugin === 'compress') {
    // crest's defaults, so both do the same work: 1 kB threshold, brotli quality 4, zlib's level 6.
    await app.register(fastifyCompress, {
      threshold: 1024,
      encodings: ['br', 'gzip', 'deflate'],
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    });
  }
  app.get('/data', async () => DATA);
  await app.ready();
  return app;
}

function fastifySend(app: FastifyInstance): Send {
  return async (headers) => {
    const response = await app.inject({ method: 'GET', url: '/data', headers });
    return {
      status: response.statusCode,
      encoding: response.headers['content-encoding'] as string | undefined,
      etag: response.headers.etag as string | undefined,
      body: response.rawPayload,
    };
  };
}

function honoApp(middleware: 'none' | 'compress' | 'etag'): Hono {
  const app = new Hono();
  if (middleware === 'compress') app.use(honoCompress());
  if (middleware === 'etag') app.use(honoEtag());
  app.get('/data', (c) => c.json(DATA));
  return app;
}

function honoSend(app: Hono): Send {
  return async (headers) => {
    const response = await app.request('/data', { headers });
    return {
      status: response.status,
      encoding: response.headers.get('content-encoding') ?? undefined,
      etag: response.headers.get('etag') ?? undefined,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };
}

/**
 * The work no framework avoids: serializing the answer (plain), then compressing it with one
 * synchronous zlib call, or hashing it with one SHA-1 (what crest's etag() does).
 */
function referenceSend(scenario: Scenario): Send {
  const brotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
  return async () => {
    const text = JSON.stringify(DATA);
    const answer: Answer = { status: 200, encoding: undefined, etag: undefined, body: Buffer.from(text) };
    if (scenario === 'gzip') return { ...answer, encoding: 'gzip', body: gzipSync(text) };
    if (scenario === 'br') return { ...answer, encoding: 'br', body: brotliCompressSync(text, brotli) };
    if (scenario === 'etag 200') return { ...answer, etag: `W/"${hash('sha1', text, 'base64url')}"` };
    return answer;
  };
}

async function variants(): Promise<Variant[]> {
  const crestPlain = crestSend(createApp({ controllers: [DataController] }));
  const crestCompress = crestSend(createApp({ controllers: [DataController], middleware: [compress()] }));
  const crestEtag = crestSend(createApp({ controllers: [DataController], middleware: [etag()] }));
  const fastifyPlain = fastifySend(await fastifyApp('none'));
  const fastifyCompressed = fastifySend(await fastifyApp('compress'));
  const honoPlain = honoSend(honoApp('none'));
  const honoCompressed = honoSend(honoApp('compress'));
  const honoTagged = honoSend(honoApp('etag'));
  const crestTag = (await crestEtag({})).etag!;
  const honoTag = (await honoTagged({})).etag!;
  const gzip = { 'accept-encoding': 'gzip' };
  const br = { 'accept-encoding': 'br, gzip' };
  return [
    { framework: 'crest', scenario: 'plain', send: crestPlain, headers: gzip },
    { framework: 'crest', scenario: 'gzip', send: crestCompress, headers: gzip },
    { framework: 'crest', scenario: 'br', send: crestCompress, headers: br },
    { framework: 'crest', scenario: 'etag 200', send: crestEtag, headers: {} },
    { framework: 'crest', scenario: 'etag 304', send: crestEtag, headers: { 'if-none-match': crestTag } },
    { framework: 'fastify', scenario: 'plain', send: fastifyPlain, headers: gzip },
    { framework: 'fastify', scenario: 'gzip', send: fastifyCompressed, headers: gzip },
    { framework: 'fastify', scenario: 'br', send: fastifyCompressed, headers: br },
    { framework: 'hono', scenario: 'plain', send: honoPlain, headers: gzip },
    // hono/compress uses the web CompressionStream: gzip and deflate, no brotli.
    { framework: 'hono', scenario: 'gzip', send: honoCompressed, headers: gzip },
    { framework: 'hono', scenario: 'etag 200', send: honoTagged, headers: {} },
    { framework: 'hono', scenario: 'etag 304', send: honoTagged, headers: { 'if-none-match': honoTag } },
    ...(['plain', 'gzip', 'br', 'etag 200'] as const).map((scenario): Variant => ({
      framework: 'reference',
      scenario,
      send: referenceSend(scenario),
      headers: {},
    })),
  ];
}

/** Fails unless the variant answers what its scenario promises, the body decoding to the JSON. */
async function check(variant: Variant): Promise<void> {
  const answer = await variant.send(variant.headers);
  const expected = { status: variant.scenario === 'etag 304' ? 304 : 200, encoding: encodingOf(variant.scenario) };
  const got = { status: answer.status, encoding: answer.encoding };
  const what = `${variant.framework} ${variant.scenario}`;
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
  if (variant.scenario.startsWith('etag') && answer.etag === undefined) throw new Error(`${what}: no ETag`);
  if (answer.status === 304) return;
  const body =
    answer.encoding === 'gzip'
      ? gunzipSync(answer.body)
      : answer.encoding === 'br'
        ? brotliDecompressSync(answer.body)
        : answer.body;
  if (body.toString('utf8') !== JSON_TEXT) throw new Error(`${what}: the body is not the answer`);
}

function encodingOf(scenario: Scenario): string | undefined {
  return scenario === 'gzip' || scenario === 'br' ? scenario : undefined;
}

/** Mean ns per request over at least MIN_CALLS sequential requests and MIN_NS. */
async function time(variant: Variant): Promise<number> {
  let calls = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (calls < MIN_CALLS || elapsed < MIN_NS) {
    const answer = await variant.send(variant.headers);
    if (answer.status >= 400) throw new Error(`${variant.framework} ${variant.scenario}: status ${answer.status}`);
    calls++;
    if (calls % 50 === 0) elapsed = Number(process.hrtime.bigint() - started);
  }
  return Number(process.hrtime.bigint() - started) / calls;
}

async function measure(): Promise<Map<Variant, number>> {
  const list = await variants();
  for (const variant of list) await check(variant);
  const samples = new Map<Variant, number[]>(list.map((variant) => [variant, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // A rotated order each round, so drift on the machine spreads over every variant.
    const order = [...list.slice(round % list.length), ...list.slice(0, round % list.length)];
    for (const variant of order) {
      const ns = await time(variant);
      if (round >= WARM_ROUNDS) samples.get(variant)!.push(ns);
    }
  }
  for (const variant of list) await check(variant);
  return new Map(list.map((variant) => [variant, median(samples.get(variant)!)]));
}

function render(results: Map<Variant, number>, seconds: number, loadBefore: string): string {
  const us = (ns: number) => (ns / 1000).toFixed(1);
  const plain = (framework: Framework) =>
    [...results].find(([variant]) => variant.framework === framework && variant.scenario === 'plain')![1];
  const cell = (framework: Framework, scenario: Scenario): string => {
    const found = [...results].find(([variant]) => variant.framework === framework && variant.scenario === scenario);
    if (found === undefined) return '—';
    if (scenario === 'plain') return `${us(found[1])} µs`;
    const delta = found[1] - plain(framework);
    return `${us(found[1])} µs (${delta >= 0 ? '+' : '−'}${us(Math.abs(delta))})`;
  };
  const lines = [
    '## 6. Compression and conditional GET, in-process (`node .build/src/micro/compress.js --record`)',
    '',
    `The cost per request of compressing a ${(JSON_TEXT.length / 1024).toFixed(1)} kB JSON answer (gzip at zlib's level 6, brotli at quality 4, 1 kB threshold) and of ETags (a 200 that gets one, a 304 for a matching If-None-Match), in-process: crest's \`app.inject()\` with \`compress()\` / \`etag()\`, fastify's \`inject()\` with @fastify/compress, hono's \`app.request()\` with hono/compress and hono/etag (the body read to the end). Median µs per request over ${ROUNDS - WARM_ROUNDS} rounds in rotated order (${WARM_ROUNDS} more to warm up), each at least ${MIN_CALLS} sequential requests and ${MIN_NS / 1e6} ms; in parentheses the difference to the same framework without the middleware (\`plain\`: the same request, \`Accept-Encoding: gzip\`, nothing compressed). Every variant's status, coding and decoded body are checked before and after timing. hono/compress has no brotli (the web CompressionStream); fastify's ETag plugin is not installed here. The reference row is the work no framework avoids: \`JSON.stringify\` of the answer, then one synchronous zlib call or one SHA-1 over it.`,
    '',
    `commit ${crestCommit()}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${machine()}; pinned to CPU 0 (taskset); ${seconds.toFixed(0)} s; load average ${loadBefore} before, ${loadAverage()} after`,
    '',
    `| Framework | ${SCENARIOS.join(' | ')} |`,
    `| --- | ${SCENARIOS.map(() => '---:').join(' | ')} |`,
    ...FRAMEWORKS.map(
      (framework) =>
        `| ${framework === 'reference' ? 'JSON.stringify + one zlib call / SHA-1 (reference)' : framework} | ${SCENARIOS.map((scenario) => cell(framework, scenario)).join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!args.includes('--pinned')) {
    const run = spawnSync('taskset', ['-c', '0', process.execPath, __filename, '--pinned', ...args], {
      stdio: 'inherit',
    });
    process.exit(run.status ?? 1);
  }
  const started = performance.now();
  const loadBefore = loadAverage();
  const results = await measure();
  const section = render(results, (performance.now() - started) / 1000, loadBefore);
  console.log(section);
  if (args.includes('--record')) recordSection(join(__dirname, '../../../RESULTS.md'), 'compress', section);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
