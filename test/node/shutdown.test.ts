import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { ErrorCodes } from '../../src';

/*
 * Shutdown hooks in a real process receiving SIGTERM: after the last answer and its waitUntil
 * work (node:http), or at once (the Lambda runtime, which Lambda signals when an extension is
 * registered); in order; a hook that fails or hangs past shutdownTimeout makes the exit code 1.
 */

const fixture = resolve(__dirname, 'fixtures/shutdown-app.js');

interface Exited {
  code: number;
  lines: Array<Record<string, unknown>>;
}

async function runUntilSigterm(
  env: NodeJS.ProcessEnv,
  beforeSignal?: (port: number) => Promise<void>,
): Promise<Exited> {
  const child = spawn(process.execPath, [fixture], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number]>;
  const parse = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (let waited = 0; !parse().some((line) => 'listening' in line); waited += 10) {
    if (waited > 5000) throw new Error(`the app never started: ${out}`);
    await new Promise((done) => setTimeout(done, 10));
  }
  const ready = parse().find((line) => 'listening' in line)!;
  if (beforeSignal) await beforeSignal((ready.address as { port: number }).port);
  child.kill('SIGTERM');
  const [code] = await exited;
  return { code, lines: parse() };
}

const LAMBDA_ENV = { LAMBDA: '1', _HANDLER: 'index.handler', AWS_LAMBDA_FUNCTION_NAME: 'fn' };

describe('app.onShutdown', () => {
  for (const [where, env] of [
    ['app.run() on node:http', {}],
    ['the Lambda runtime', LAMBDA_ENV],
  ] as const) {
    describe(`in ${where}`, () => {
      describe('when every hook succeeds', () => {
        it('runs them in order, awaited, and exits 0', async () => {
          const { code, lines } = await runUntilSigterm({ ...env, HOOKS: 'ok,ok' });
          expect(lines.filter((line) => 'hook' in line)).to.deep.equal([
            { hook: 0, kind: 'ok' },
            { hook: 0, done: true },
            { hook: 1, kind: 'ok' },
            { hook: 1, done: true },
          ]);
          expect(code).to.equal(0);
        });
      });

      describe('when a hook fails', () => {
        it('still runs the later hooks, logs the code and exits 1', async () => {
          const { code, lines } = await runUntilSigterm({ ...env, HOOKS: 'fails,ok' });
          expect(lines.some((line) => line.code === ErrorCodes.SHUTDOWN_HOOK_FAILED)).to.equal(true);
          expect(lines).to.deep.include({ hook: 1, done: true });
          expect(code).to.equal(1);
        });
      });

      describe('when a hook hangs past its timeout', () => {
        it('gives up on it, runs the next and exits 1', async () => {
          const started = Date.now();
          const { code, lines } = await runUntilSigterm({ ...env, HOOKS: 'hangs,ok' });
          expect(lines.some((line) => line.code === ErrorCodes.SHUTDOWN_HOOK_TIMEOUT)).to.equal(true);
          expect(lines).to.deep.include({ hook: 1, done: true });
          expect(code).to.equal(1);
          expect(Date.now() - started).to.be.below(5000);
        });
      });
    });
  }

  describe('in app.run() on node:http', () => {
    describe('when an answered request still has waitUntil work', () => {
      it('finishes the work before the hooks run', async () => {
        const { code, lines } = await runUntilSigterm({ HOOKS: 'ok' }, async (port) => {
          expect(await (await fetch(`http://127.0.0.1:${port}/audit`)).text()).to.equal('ok');
        });
        const order = lines.filter((line) => 'audit' in line || 'hook' in line);
        expect(order).to.deep.equal([{ audit: 'written' }, { hook: 0, kind: 'ok' }, { hook: 0, done: true }]);
        expect(code).to.equal(0);
      });
    });
  });
});
