import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort, waitFor } from './support/free-port';

describe('npm start (example/src/main.ts)', function () {
  this.timeout(20_000);

  it('serves the real data set on 127.0.0.1:$PORT with the embedded store, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.REDIS_URL;
    delete env.HOST;
    const child = spawn(process.execPath, [join(__dirname, '../src/main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
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
      // Loopback only unless $HOST says otherwise: a development server is not on the network.
      expect(output).to.include(`crest listening on http://127.0.0.1:${port}`);
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
