import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stopServer } from './http/bench';
import { sleep } from './stats';
import { runWrk, type WrkResult } from './http/wrk';

export interface TalkRow {
  label: string;
  result?: WrkResult;
  error?: string;
}

export interface TalkResult {
  note: string;
  rows: TalkRow[];
}

export interface TalkOptions {
  /** The repository root (crest). */
  root: string;
  seconds: number;
  serverCpu: string;
  clientCpu: string;
  log: (line: string) => void;
}

const LOOKUP = '/api/postal_code?code=1000001';

async function waitForAnswer(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = (await response.json()) as { code?: string; addresses?: unknown[] };
      if (response.status === 200 && body.code === '1000001' && Array.isArray(body.addresses)) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`no answer from ${url}: ${last}`);
}

function runNode(root: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: root, stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

/**
 * The talk's measurement on this machine: `wrk -t4 -c30 -d10s` on the postal-code lookup,
 * served by the example locally (node:http) and by its bundled Lambda zip behind
 * serverless-offline's REST API emulation.
 */
export async function runTalk(options: TalkOptions): Promise<TalkResult> {
  const main = join(options.root, 'build/example/src/main.js');
  const bundler = join(options.root, 'build/example/src/tools/bundle.js');
  const osls = join(options.root, 'example/offline/node_modules/osls/bin/serverless.js');
  const rows: TalkRow[] = [];
  const wrk = { threads: 4, connections: 30, seconds: options.seconds, cpus: options.clientCpu };
  if (!existsSync(main)) {
    return { note: 'The example is not built (`npm run build:all` at the repository root builds it).', rows };
  }
  const port = 3480;
  const local = spawn('taskset', ['-c', options.serverCpu, process.execPath, main], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production', REDIS_URL: '' },
    stdio: 'ignore',
  });
  try {
    const url = `http://127.0.0.1:${port}${LOOKUP}`;
    await waitForAnswer(url, 60_000, local);
    const result = await runWrk(url, wrk);
    rows.push({ label: 'crest example, node:http (embedded store)', result });
    options.log(`  local: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99.toFixed(2)} ms`);
  } catch (error) {
    rows.push({ label: 'crest example, node:http (embedded store)', error: (error as Error).message });
  } finally {
    await stopServer(local);
  }
  if (!existsSync(osls) || !existsSync(bundler)) {
    return {
      note: `\`wrk -t4 -c${wrk.connections} -d${options.seconds}s\` on \`GET ${LOOKUP}\`; server pinned to one core, wrk to the other. serverless-offline is not installed (\`npm ci --prefix example/offline\`), so the Lambda row is missing.`,
      rows,
    };
  }
  const offlinePort = 3481;
  const lambdaPort = 3482;
  let offline: ChildProcess | undefined;
  try {
    await runNode(options.root, bundler);
    offline = spawn(
      'taskset',
      [
        '-c',
        options.serverCpu,
        process.execPath,
        osls,
        'offline',
        'start',
        '--param',
        'apis=rest',
        '--host',
        '127.0.0.1',
        '--httpPort',
        String(offlinePort),
        '--lambdaPort',
        String(lambdaPort),
        '--noSponsor',
      ],
      {
        cwd: join(options.root, 'example'),
        detached: true,
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'AKIDOFFLINEBENCH',
          AWS_SECRET_ACCESS_KEY: 'offline-bench-secret',
          AWS_REGION: 'ap-northeast-1',
          AWS_EC2_METADATA_DISABLED: 'true',
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
          SLS_INTERACTIVE_SETUP_DISABLE: '1',
          CI: '1',
          NO_COLOR: '1',
        },
      },
    );
    const url = `http://127.0.0.1:${offlinePort}/dev${LOOKUP}`;
    await waitForAnswer(url, 90_000, offline);
    const result = await runWrk(url, wrk);
    rows.push({ label: 'crest example, Lambda zip behind serverless-offline (REST API)', result });
    options.log(`  offline: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99.toFixed(2)} ms`);
  } catch (error) {
    rows.push({
      label: 'crest example, Lambda zip behind serverless-offline (REST API)',
      error: (error as Error).message.split('\n')[0],
    });
  } finally {
    if (offline?.pid !== undefined && offline.exitCode === null) {
      const exited = new Promise((resolve) => offline!.once('exit', resolve));
      // osls starts Lambda workers of its own: end its whole process group.
      process.kill(-offline.pid, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (offline.exitCode === null) process.kill(-offline.pid, 'SIGKILL');
    }
  }
  return {
    note: `\`wrk -t4 -c${wrk.connections} -d${options.seconds}s --latency\` on \`GET ${LOOKUP}\` (the embedded Japan Post data set); server pinned to one core, wrk to the other. serverless-offline emulates API Gateway and runs the bundled handler in its own Lambda worker: its numbers measure the emulator as much as crest, as in the talk.`,
    rows,
  };
}
