import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { runAddress } from '../../src/transports/node/run';

const fixture = resolve(__dirname, 'fixtures/run-app.js');
const brokenDocsFixture = resolve(__dirname, 'fixtures/broken-docs-app.js');

interface Started {
  child: ChildProcess;
  ready: Promise<{ listening: boolean; address?: { address: string; port: number } }>;
  /** Resolves with the first line of the child's output that starts with `prefix`. */
  line: (prefix: string) => Promise<string>;
}

function start(env: NodeJS.ProcessEnv = {}, app = fixture): Started {
  const child = spawn(process.execPath, [app], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const line = (prefix: string) =>
    new Promise<string>((done, fail) => {
      const look = (): void => {
        const found = out.split('\n').find((candidate) => candidate.startsWith(prefix));
        if (found === undefined) return;
        child.stdout!.removeListener('data', look);
        done(found);
      };
      child.stdout!.on('data', look);
      child.once('exit', (code) => fail(new Error(`exited with ${String(code)} before printing ${prefix}`)));
      look();
    });
  const ready = line('{"listening"').then(
    (found) => JSON.parse(found) as { listening: boolean; address?: { address: string; port: number } },
  );
  return { child, ready, line };
}

describe('app.run', () => {
  it('opens no port on Lambda and lets the process end', async () => {
    const { child, ready } = start({ AWS_LAMBDA_FUNCTION_NAME: 'fn', _HANDLER: 'index.handler' });
    expect((await ready).listening).to.equal(false);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(0);
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const { child, ready, line } = start();
    const { address } = await ready;
    const inFlight = fetch(`http://127.0.0.1:${address!.port}/slow`).then((response) => response.text());
    await line('{"started"');
    child.kill('SIGTERM');
    expect(await inFlight).to.equal('done');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(0);
  });

  it('exits at once on a second signal', async () => {
    const { child, ready, line } = start();
    const { address } = await ready;
    void fetch(`http://127.0.0.1:${address!.port}/slow`).catch(() => undefined);
    await line('{"started"');
    child.kill('SIGTERM');
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(1);
  });

  describe('when the OpenAPI document cannot be built', () => {
    it('answers the first request, which does not wait for the document, then exits 1 naming the mistake', async () => {
      const { child, ready } = start({}, brokenDocsFixture);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      const { address } = await ready;
      expect((await fetch(`http://127.0.0.1:${address!.port}/a`)).status).to.equal(204);
      const [code] = (await exited) as [number];
      expect(code).to.equal(1);
      expect(stderr).to.contain('CREST_DUPLICATE_OPERATION_ID');
    });

    it('exits 1 without any request coming', async () => {
      const { child, ready } = start({}, brokenDocsFixture);
      const exited = once(child, 'exit');
      expect((await ready).listening).to.equal(true);
      const [code] = (await exited) as [number];
      expect(code).to.equal(1);
    });
  });

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const { child, ready } = start();
    const { address } = await ready;
    child.kill('SIGTERM');
    expect(address!.address).to.equal('127.0.0.1');
  });

  it('listens on $HOST', async () => {
    // All of 127.0.0.0/8 is loopback on Linux.
    const { child, ready } = start({ HOST: '127.0.0.2' });
    const { address } = await ready;
    child.kill('SIGTERM');
    expect(address!.address).to.equal('127.0.0.2');
  });

  it('exits on SIGTERM at once despite connections that sent nothing or half a request head', async () => {
    // A grace period far beyond the test's timeout: only closing those connections can pass.
    const { child, ready } = start({ GRACE_PERIOD: '60000' });
    const { address } = await ready;
    const silent = connect(address!.port, '127.0.0.1');
    const halfHead = connect(address!.port, '127.0.0.1', () => halfHead.write('GET /slow HTTP/1.1\r\nhost: x\r\n'));
    for (const socket of [silent, halfHead]) socket.on('error', () => undefined);
    await new Promise((done) => setTimeout(done, 100));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(0);
  });
});

describe('runAddress', () => {
  const cases: Array<[string, Parameters<typeof runAddress>[0], NodeJS.ProcessEnv, { port: number; host: string }]> = [
    ['nothing set', {}, {}, { port: 8080, host: '127.0.0.1' }],
    ['$PORT and $HOST', {}, { PORT: '3000', HOST: '0.0.0.0' }, { port: 3000, host: '0.0.0.0' }],
    ['an empty $HOST', {}, { HOST: '' }, { port: 8080, host: '127.0.0.1' }],
    [
      'options over the environment',
      { port: 9000, host: '::' },
      { PORT: '3000', HOST: '0.0.0.0' },
      { port: 9000, host: '::' },
    ],
  ];
  for (const [name, options, env, expected] of cases) {
    it(`reads ${name}`, () => {
      expect(runAddress(options, env)).to.deep.equal(expected);
    });
  }
});
