import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { bundleServer } from '../src/tools/bundle';
import { freePort, waitFor } from './support/free-port';

const ROOT = resolve(__dirname, '../../..');

describe('npm start (example/src/main.ts)', function () {
  this.timeout(60_000);
  let scratch: string;
  let bundled: string;
  before(async () => {
    // In the repository, as build/example/server is: the bundle resolves swagger-ui-dist from there.
    mkdirSync(join(ROOT, 'build'), { recursive: true });
    scratch = mkdtempSync(join(ROOT, 'build/example-server-test-'));
    ({ mainFile: bundled } = await bundleServer(scratch));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  // npm start runs the bundle; tsc's CommonJS output, which the tests import, must serve too.
  const servers: Array<{ name: string; main: () => string }> = [
    { name: 'the bundled server (build/example/server/main.cjs)', main: () => bundled },
    { name: "tsc's output (build/example/src/main.js)", main: () => join(__dirname, '../src/main.js') },
  ];
  for (const { name, main } of servers) {
    describe(`when it runs ${name}`, () => {
      it('serves the real data set on 127.0.0.1:$PORT with the embedded store and the docs page, and exits 0 on SIGTERM', async () => {
        const port = await freePort();
        const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
        delete env.REDIS_URL;
        delete env.HOST;
        delete env.POSTAL_DATA_FILE;
        const child = spawn(process.execPath, [main()], { env, stdio: ['ignore', 'pipe', 'ignore'] });
        let output = '';
        child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        try {
          let body: unknown;
          await waitFor(
            async () => {
              const response = await fetch(`http://127.0.0.1:${port}/api/postal_code?code=1000001`);
              body = await response.json();
            },
            10_000,
            'the example server',
          );
          expect(body).to.deep.equal({
            code: '1000001',
            addresses: [{ prefecture: '東京都', locality: '千代田区千代田', address: '東京都千代田区千代田' }],
          });
          const health = await fetch(`http://127.0.0.1:${port}/api/health`);
          expect(await health.json()).to.include({ store: 'embedded', codes: 120484 });
          // Swagger UI from node_modules: the bundle finds it as tsc's output does.
          const page = await fetch(`http://127.0.0.1:${port}/api/docs/swagger-ui-bundle.js`);
          expect(page.status).to.equal(200);
          // Loopback only unless $HOST says otherwise: a development server is not on the network.
          expect(output).to.include(`crest listening on http://127.0.0.1:${port}`);
          child.kill('SIGTERM');
          expect(await exited).to.equal(0);
        } finally {
          if (child.exitCode === null) child.kill('SIGKILL');
        }
      });
    });
  }
});
