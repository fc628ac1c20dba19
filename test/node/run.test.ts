import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const fixture = resolve(__dirname, 'fixtures/run-app.js');

function start(env: NodeJS.ProcessEnv = {}): {
  child: ChildProcess;
  ready: Promise<{ listening: boolean; address?: { port: number } }>;
} {
  const child = spawn(process.execPath, [fixture], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<{ listening: boolean; address?: { port: number } }>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((candidate) => candidate.startsWith('{"listening"'));
      if (line) done(JSON.parse(line) as { listening: boolean; address?: { port: number } });
    });
    child.once('exit', (code) => fail(new Error(`exited early with ${String(code)}`)));
  });
  return { child, ready };
}

describe('app.run', () => {
  it('opens no port on Lambda and lets the process end', async () => {
    const { child, ready } = start({ AWS_LAMBDA_FUNCTION_NAME: 'fn' });
    expect((await ready).listening).to.equal(false);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(0);
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const { child, ready } = start();
    const { address } = await ready;
    const inFlight = fetch(`http://127.0.0.1:${address!.port}/slow`).then((response) => response.text());
    await new Promise((done) => setTimeout(done, 100));
    child.kill('SIGTERM');
    expect(await inFlight).to.equal('done');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(0);
  });

  it('exits at once on a second signal', async () => {
    const { child, ready } = start();
    const { address } = await ready;
    void fetch(`http://127.0.0.1:${address!.port}/slow`).catch(() => undefined);
    await new Promise((done) => setTimeout(done, 100));
    child.kill('SIGTERM');
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(1);
  });
});
