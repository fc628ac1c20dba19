/* eslint-disable @typescript-eslint/no-require-imports -- each server process loads only its own framework */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as CrestUpload from '../apps/upload-crest';
import type * as FastifyUpload from '../apps/upload-fastify';
import type * as FloorUpload from '../apps/upload-floor';
import type * as NestUpload from '../apps/upload-nest';
import {
  UPLOAD_FILE_NAME,
  UPLOAD_FILE_SIZE,
  UPLOAD_PATH,
  uploadRequest,
  type MultipartRequest,
} from '../apps/upload-workload';
import { recordSection } from '../recorded-sections';
import { crestCommit, loadAverage, machine } from '../run-info';
import { median, rotate } from '../stats';
import { startServer, stopServer, timedRun, type HttpRun } from './bench';
import { runWrk, type WrkOptions } from './wrk';

/*
 * `npm run build && node .build/src/http/upload.js [--rounds=5] [--seconds=4] [--connections=10]
 * [--record]`: one upload route, POST /upload with a 1 MB file as multipart/form-data, answered
 * with the file's name and size as JSON, in crest (`@UploadedFile`), fastify with
 * @fastify/multipart (`req.file()`, `toBuffer()`), NestJS on express with `FileInterceptor`
 * (multer, memory storage) and a floor (node:http piping into @fastify/busboy, crest's parser).
 * Every peer keeps the whole file in memory, as crest's `bytes` does. Each server is its own
 * process pinned to CPU 0, wrk pinned to CPU 1 posts the same prebuilt body; every round times
 * each peer once (a warm-up run first), in rotated order. Reports the medians of requests/s, p99
 * and the server's CPU time per request (read from /proc, user + system: the steadier figure when
 * other work shares the machine), each as a ratio to fastify. Every peer's answer is checked (the
 * right name and size, from fetch and from wrk's own bytes) before and after timing. `--record`
 * puts the table in RESULTS.md between its markers, which `npm run bench` keeps.
 */

const PORT = 3756;
const SERVE_FLAG = '--serve';

interface UploadTarget {
  name: string;
  label: string;
  listen(port: number): Promise<void>;
}

const TARGETS: readonly UploadTarget[] = [
  {
    name: 'floor',
    label: 'node:http + @fastify/busboy (floor)',
    listen: (port) => {
      const server: Server = (require('../apps/upload-floor') as typeof FloorUpload).createFloorUploadServer();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    },
  },
  {
    name: 'crest',
    label: 'crest (`@UploadedFile`)',
    listen: async (port) => {
      const { createCrestUploadApp } = require('../apps/upload-crest') as typeof CrestUpload;
      await createCrestUploadApp().listen(port, '127.0.0.1');
    },
  },
  {
    name: 'fastify',
    label: 'fastify 5 + @fastify/multipart',
    listen: async (port) => {
      const { createFastifyUploadApp } = require('../apps/upload-fastify') as typeof FastifyUpload;
      await (await createFastifyUploadApp()).listen({ port, host: '127.0.0.1' });
    },
  },
  {
    name: 'nest',
    label: 'NestJS 11 (express) + `FileInterceptor` (multer)',
    listen: async (port) => {
      const { createNestUploadApp } = require('../apps/upload-nest') as typeof NestUpload;
      await (await createNestUploadApp()).listen(port, '127.0.0.1');
    },
  },
];

interface Settings {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

interface Scripts {
  /** Posts the body; nothing else, so wrk spends no Lua per answer. */
  timed: string;
  /** The same, and counts the answers that are not the expected JSON into `answers`. */
  checked: string;
  answers: string;
}

/** Child process: `node upload.js --serve <target> <port>`; prints `ready` once listening. */
async function serve(name: string, port: number): Promise<void> {
  const target = TARGETS.find((candidate) => candidate.name === name);
  if (target === undefined) throw new Error(`unknown upload target ${name}`);
  await target.listen(port);
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => process.exit(0));
}

const EXPECTED = JSON.stringify({ name: UPLOAD_FILE_NAME, size: UPLOAD_FILE_SIZE });

/** The wrk scripts: the body read from a file (binary, 1 MB: too long for a Lua literal). */
function writeScripts(dir: string, upload: MultipartRequest): Scripts {
  const bodyFile = join(dir, 'upload-body.bin');
  const answers = join(dir, 'upload-answers.txt');
  writeFileSync(bodyFile, upload.body);
  const request =
    `local file = assert(io.open(${JSON.stringify(bodyFile)}, "rb"))\n` +
    'wrk.method = "POST"\n' +
    'wrk.body = file:read("*a")\n' +
    'file:close()\n' +
    `wrk.headers["Content-Type"] = ${JSON.stringify(upload.contentType)}\n`;
  // response() runs in each thread's Lua state, done() in the main one: it sums the threads' counts.
  const check =
    'local threads = {}\n' +
    'setup = function(thread) table.insert(threads, thread) end\n' +
    'good, bad = 0, 0\n' +
    'response = function(status, headers, body)\n' +
    `  local ok = status == 200 and body:find(${JSON.stringify(`"size":${UPLOAD_FILE_SIZE}`)}, 1, true) ~= nil\n` +
    `    and body:find(${JSON.stringify(`"name":"${UPLOAD_FILE_NAME}"`)}, 1, true) ~= nil\n` +
    '  if ok then good = good + 1 else bad = bad + 1 end\n' +
    'end\n' +
    'done = function()\n' +
    '  local right, wrong = 0, 0\n' +
    '  for _, thread in ipairs(threads) do\n' +
    '    right = right + thread:get("good")\n' +
    '    wrong = wrong + thread:get("bad")\n' +
    '  end\n' +
    `  local out = assert(io.open(${JSON.stringify(answers)}, "w"))\n` +
    '  out:write(right .. " " .. wrong)\n' +
    '  out:close()\n' +
    'end\n';
  const timed = join(dir, 'upload.lua');
  const checked = join(dir, 'upload-checked.lua');
  writeFileSync(timed, request);
  writeFileSync(checked, request + check);
  return { timed, checked, answers };
}

/**
 * Fails unless the peer answers the upload with its name and size, once through fetch and, to
 * be sure wrk sends the body intact, for a second of wrk with every answer inspected.
 */
async function check(target: UploadTarget, url: string, upload: MultipartRequest, scripts: Scripts): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': upload.contentType },
    body: upload.body,
  });
  const text = await response.text();
  if (response.status !== 200 || JSON.stringify(JSON.parse(text)) !== EXPECTED) {
    throw new Error(`${target.name}: expected 200 ${EXPECTED}, got ${response.status} ${text.slice(0, 300)}`);
  }
  const run = await runWrk(url, { threads: 1, connections: 2, seconds: 1, cpus: '1' }, scripts.checked);
  const [good, bad] = readFileSync(scripts.answers, 'utf8').split(' ').map(Number);
  if (run.failures > 0 || bad !== 0 || !(good! > 0)) {
    throw new Error(`${target.name}: wrong answers under wrk (${good} right, ${bad} wrong, ${run.failures} failures)`);
  }
}

async function measure(settings: Settings, log: (line: string) => void): Promise<Map<UploadTarget, HttpRun[]>> {
  const workDir = mkdtempSync(join(tmpdir(), 'crest-bench-upload-'));
  const servers = new Map<UploadTarget, ChildProcess>();
  const url = (index: number) => `http://127.0.0.1:${PORT + index}${UPLOAD_PATH}`;
  try {
    const upload = uploadRequest();
    const scripts = writeScripts(workDir, upload);
    for (const [index, target] of TARGETS.entries()) {
      servers.set(target, await startServer(target.name, PORT + index, '0', {}, [__filename, SERVE_FLAG]));
      await check(target, url(index), upload, scripts);
    }
    const wrk: WrkOptions = { threads: 1, connections: settings.connections, seconds: settings.seconds, cpus: '1' };
    const runs = new Map<UploadTarget, HttpRun[]>(TARGETS.map((target) => [target, []]));
    for (let round = 0; round < settings.rounds; round++) {
      // A rotated order each round, so drift on the machine spreads over every peer.
      for (const target of rotate(TARGETS, round)) {
        const index = TARGETS.indexOf(target);
        await runWrk(url(index), { ...wrk, seconds: settings.warmupSeconds }, scripts.timed);
        const run = await timedRun(servers.get(target)!.pid!, url(index), wrk, scripts.timed);
        if (run.failures > 0) throw new Error(`${target.name}: ${run.failures} failed requests under load`);
        runs.get(target)!.push(run);
        log(
          `round ${round + 1}/${settings.rounds} ${target.name.padEnd(8)} ${run.requestsPerSecond.toFixed(0)} req/s, ` +
            `p99 ${run.p99.toFixed(1)} ms, ${run.cpuUsPerRequest.toFixed(0)} µs CPU/request`,
        );
      }
    }
    for (const [index, target] of TARGETS.entries()) await check(target, url(index), upload, scripts);
    return runs;
  } finally {
    for (const server of servers.values()) await stopServer(server);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function render(runs: Map<UploadTarget, HttpRun[]>, settings: Settings, seconds: number, loadBefore: string): string {
  const medians = new Map(
    [...runs].map(([target, list]) => [
      target.name,
      {
        rps: median(list.map((run) => run.requestsPerSecond)),
        p99: median(list.map((run) => run.p99)),
        cpuUs: median(list.map((run) => run.cpuUsPerRequest)),
        all: list.map((run) => run.requestsPerSecond),
      },
    ]),
  );
  const fastify = medians.get('fastify')!;
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
  const rows = TARGETS.map((target) => {
    const cell = medians.get(target.name)!;
    const rounds = [...cell.all]
      .sort((a, b) => a - b)
      .map((rps) => rps.toFixed(0))
      .join(', ');
    return (
      `| ${target.label} | ${cell.rps.toFixed(0)} | ${ratio(cell.rps, fastify.rps)} | ${cell.p99.toFixed(1)} ms | ` +
      `${ratio(cell.p99, fastify.p99)} | ${cell.cpuUs.toFixed(0)} µs | ${ratio(cell.cpuUs, fastify.cpuUs)} | ${rounds} |`
    );
  });
  const command = `npm run build && node .build/src/http/upload.js --rounds=${settings.rounds} --seconds=${settings.seconds} --connections=${settings.connections} --record`;
  return [
    '## 8. File upload, 1 MB over HTTP (`node .build/src/http/upload.js --record`)',
    '',
    `POST /upload with one ${(UPLOAD_FILE_SIZE / 1e6).toFixed(0)} MB file (random bytes, field \`file\`) as multipart/form-data, answered with \`{ name, size }\` as JSON. Every peer keeps the whole file in memory: crest's \`@UploadedFile('file')\` (\`bytes\`), fastify's @fastify/multipart \`req.file()\` then \`toBuffer()\`, NestJS's \`FileInterceptor('file')\` (multer's memory storage); all with a 2 MB file-size limit. The floor is node:http piping the request into @fastify/busboy (the parser crest and @fastify/multipart use), the file's chunks concatenated, no routing or checks. Each server in its own process pinned to CPU 0, \`wrk -t1 -c${settings.connections}\` pinned to CPU 1 posting the same prebuilt body; ${settings.rounds} rounds, each timing every peer for ${settings.seconds} s (after ${settings.warmupSeconds} s of warm-up) in rotated order; medians over the rounds, ratios to fastify. Server CPU per request: the server process's user + system time over the run (/proc), divided by the requests, the steadier figure when other work shares the machine. Every peer's answer (name and size) is checked before and after timing, through fetch and through wrk's own bytes.`,
    '',
    `\`${command}\` — commit ${crestCommit()}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${machine()}; ${seconds.toFixed(0)} s; load average ${loadBefore} before, ${loadAverage()} after`,
    '',
    '| Framework | requests/s | × fastify | p99 | × fastify | server CPU per request | × fastify | requests/s of each round |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

function option(name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const value = process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
  return value === undefined ? fallback : Number(value);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === SERVE_FLAG) return serve(args[1]!, Number(args[2]));
  const settings: Settings = {
    rounds: option('rounds', 5),
    seconds: option('seconds', 4),
    warmupSeconds: option('warmup', 1),
    connections: option('connections', 10),
  };
  const started = performance.now();
  const loadBefore = loadAverage();
  const runs = await measure(settings, (line) => console.error(line));
  const section = render(runs, settings, (performance.now() - started) / 1000, loadBefore);
  console.log(section);
  if (args.includes('--record')) recordSection(join(__dirname, '../../../RESULTS.md'), 'upload', section);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
