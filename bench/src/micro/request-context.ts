import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Controller, createApp, Get, Param, requestContext, type App } from 'crest';
import { median } from '../stats';

/*
 * `node .build/src/micro/request-context.js` (pin it: `taskset -c 0 …`): what `context: true`
 * (an AsyncLocalStorage scope around every request) costs. In-process, through the buffered
 * Lambda handler (the whole transport flow), on a synchronous handler and on one that awaits
 * twice as a database call would; with `--http`, also over node:http with wrk (on CPU 1 when
 * `taskset` is there). Processes with and without the scope alternate, several rounds; prints
 * medians: µs per invocation, requests per second.
 */

@Controller()
class Users {
  @Get('/users/:id')
  show(@Param('id') id: number) {
    return { id, requestId: requestContext()?.requestId ?? null };
  }

  @Get('/slow/:id')
  async slow(@Param('id') id: number) {
    await Promise.resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { id };
  }
}

const CALLS = 20_000;
const ROUNDS = 7;

function event(path: string): object {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 };

async function timeInvocations(app: App, path: string): Promise<number> {
  const handler = app.lambda() as (event: object, context: object) => Promise<{ statusCode: number }>;
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const result = await handler(event(path), context);
    if (result.statusCode !== 200) throw new Error(`unexpected status ${result.statusCode}`);
  }
  return Number(process.hrtime.bigint() - started) / CALLS / 1000;
}

/*
 * Each measurement runs in a fresh process holding one app: on Node 20 the first
 * AsyncLocalStorage turns on a promise hook for the whole process, so an app without the scope
 * measured beside one with it would pay too.
 */
const MODES = { 'without context': 'off', 'context: true': 'on' } as const;
const mode = /--context=(on|off)/.exec(process.argv.join(' '))?.[1];

async function measure(app: App, http: boolean): Promise<number[]> {
  const figures = [await timeInvocations(app, '/users/7'), await timeInvocations(app, '/slow/7')];
  if (http) figures.push(await overHttp(app));
  return figures;
}

async function overHttp(app: App): Promise<number> {
  const server = await app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const wrk = ['wrk', '-t1', '-c20', '-d4s', `http://127.0.0.1:${port}/slow/7`];
  const pinned = spawnSync('taskset', ['-V']).status === 0;
  const output = await new Promise<string>((resolve) => {
    const child = pinned ? spawn('taskset', ['-c', '1', ...wrk]) : spawn(wrk[0]!, wrk.slice(1));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', () => resolve(out));
  });
  server.close();
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
}

async function main(): Promise<void> {
  const http = process.argv.includes('--http');
  if (mode !== undefined) {
    const app = createApp({ controllers: [Users], context: mode === 'on' });
    await timeInvocations(app, '/users/7'); // warms the JIT
    await timeInvocations(app, '/slow/7');
    process.stdout.write(JSON.stringify(await measure(app, http)));
    return;
  }
  const samples: Record<string, number[][]> = { 'without context': [], 'context: true': [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, flag] of Object.entries(MODES)) {
      const args = [process.argv[1]!, `--context=${flag}`, ...(http ? ['--http'] : [])];
      const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
      samples[name]!.push(JSON.parse(child.stdout) as number[]);
    }
  }
  for (const [name, runs] of Object.entries(samples)) {
    const at = (index: number) => median(runs.map((run) => run[index]!));
    console.log(
      `${name.padEnd(16)} GET /users/7 ${at(0).toFixed(2)} µs, GET /slow/7 ${at(1).toFixed(2)} µs per invocation` +
        (http ? `; HTTP GET /slow/7 ${at(2).toFixed(0)} requests/s` : ''),
    );
  }
}

void main();
