import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { createPostalApp } from '../../example/src/app';
import { sharedEmbeddedStore } from '../../example/test/support/data';

/** Where the generated client is written and compiled: under build/, inside the repository. */
const CLIENT_DIR = join(__dirname, '../../artifacts/typed-client');

/** One typed call with openapi-fetch over the generated `paths`: it compiles only if the types fit. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api';

export async function lookup(baseUrl: string): Promise<{ status: number; code: string; prefecture: string }> {
  const client = createClient<paths>({ baseUrl });
  const { data, error, response } = await client.GET('/postal_code', { params: { query: { code: '1000001' } } });
  if (error !== undefined) throw new Error(\`\${error.code}: \${error.detail ?? ''}\`);
  const prefecture: string = data.addresses[0]!.prefecture;
  return { status: response.status, code: data.code, prefecture };
}
`;

const CALL = `client.GET('/postal_code', { params: { query: { code: '1000001' } } })`;

/** The same call with a mistake the generated types must catch. */
const MISTAKES: Array<[string, string]> = [
  ['a number for the string code', `client.GET('/postal_code', { params: { query: { code: 1000001 } } })`],
  ['no code at all', `client.GET('/postal_code', { params: { query: {} } })`],
  ['a path the API does not have', `client.GET('/postal_cod', { params: { query: { code: '1000001' } } })`],
];

/** Compiles `files` (names in CLIENT_DIR) as tsc would, strict; the diagnostics, by file name. */
function compile(files: string[]): Array<[string, string]> {
  const program = ts.createProgram(
    files.map((file) => join(CLIENT_DIR, file)),
    {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node20,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      skipLibCheck: true,
      outDir: CLIENT_DIR,
    },
  );
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics.map((d) => [d.file?.fileName ?? '', ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
}

function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    }).on('error', reject);
  });
}

describe('a client generated from the served document (openapi-typescript, openapi-fetch)', function () {
  this.timeout(60_000);
  let server: Server;
  let origin: string;

  before(async () => {
    server = await createPostalApp(sharedEmbeddedStore()).listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Without keep-alive: the compiler takes longer than the server keeps an idle connection.
    const document = JSON.parse(await getText(`${origin}/api/openapi.json`)) as Record<string, unknown>;
    rmSync(CLIENT_DIR, { recursive: true, force: true });
    mkdirSync(CLIENT_DIR, { recursive: true });
    writeFileSync(join(CLIENT_DIR, 'api.ts'), astToString(await openapiTS(document as never)));
    writeFileSync(join(CLIENT_DIR, 'client.ts'), CLIENT);
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  describe('when the call fits the generated types', () => {
    it('compiles under strict tsc and gets the typed answer from the running example', async () => {
      expect(compile(['client.ts'])).to.deep.equal([]);
      const { lookup } = (await import(join(CLIENT_DIR, 'client.js'))) as {
        lookup(baseUrl: string): Promise<{ status: number; code: string; prefecture: string }>;
      };
      // The served document names its server relative to itself: /api.
      expect(await lookup(`${origin}/api`)).to.deep.equal({ status: 200, code: '1000001', prefecture: '東京都' });
    });
  });

  describe('when the call does not fit', () => {
    it('fails to compile, for each mistake', () => {
      const files = MISTAKES.map((_, i) => `mistake-${i}.ts`);
      MISTAKES.forEach(([, call], i) => writeFileSync(join(CLIENT_DIR, files[i]!), CLIENT.replace(CALL, call)));
      const failed = new Set(compile(files).map(([file]) => file));
      MISTAKES.forEach(([name], i) => expect(failed.has(join(CLIENT_DIR, files[i]!)), name).to.equal(true));
    });
  });
});
