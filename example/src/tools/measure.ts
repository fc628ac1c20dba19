import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * `npm run example:measure`: starts `node build/example/src/main.js` (what `npm start` runs
 * after building) on a free port, and reports the time from spawn to the first correct answer
 * and the process's resident memory then. Pass REDIS_URL to measure the Redis store instead.
 */
async function main(): Promise<void> {
  const runs = Number(process.env.RUNS ?? 5);
  const results: Array<{ ms: number; rssMb: number }> = [];
  for (let i = 0; i < runs; i++) results.push(await measureOnce());
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const [i, { ms, rssMb }] of results.entries())
    console.log(`run ${i + 1}: first answer ${ms} ms, RSS ${rssMb} MB`);
  console.log(
    `median of ${runs}: first answer ${median(results.map((r) => r.ms))} ms, ` +
      `RSS ${median(results.map((r) => r.rssMb))} MB (${process.env.REDIS_URL ? 'redis' : 'embedded'} store)`,
  );
}

async function measureOnce(): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, '../main.js')], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the example exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/postal_code?code=1000001`);
        if (response.status === 200 && (await response.json()) !== null) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    const ms = Math.round(performance.now() - started);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { ms, rssMb: Math.round(rssKb / 1024) };
  } finally {
    child.kill('SIGTERM');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
    server.on('error', reject);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
