import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** Runs a snippet in a fresh Node process from the package root, as a user's project would. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

describe('the published package', () => {
  it('loads with require, reflect-metadata included', () => {
    const out = node([
      '-e',
      "const c = require('crest'); const t = require('crest/testing'); console.log(typeof c.createApp, typeof c.Controller, typeof Reflect.getMetadata, typeof t)",
    ]);
    expect(out).to.equal('function function function object');
  });

  it('loads with import and named exports', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "import { createApp, HttpResponse, decodeLogStream } from 'crest'; import * as testing from 'crest/testing'; console.log(typeof createApp, typeof HttpResponse.json, typeof decodeLogStream, typeof testing)",
    ]);
    expect(out).to.equal('function function function object');
  });

  it('ships type declarations for every entry point', () => {
    const out = node([
      '-e',
      "const fs = require('fs'); console.log(['index', 'openapi/index', 'testing/index', 'lambda'].map((f) => fs.existsSync(`dist/${f}.d.ts`)).join(' '))",
    ]);
    expect(out).to.equal('true true true true');
  });

  it('exports the documented API from the root, and advanced Lambda helpers from crest/lambda only', () => {
    // The root is what README documents; adding to it is a decision, made here on purpose.
    const root = JSON.parse(node(['-e', "console.log(JSON.stringify(Object.keys(require('crest')).sort()))"]));
    expect(root).to.deep.equal(
      [
        ...['createApp', 'App', 'cors', 'HttpRequest', 'HttpResponse', 'decodeLogStream'],
        ...['Controller', 'Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All'],
        ...['Param', 'Query', 'Body', 'Header', 'Cookie', 'Req', 'Ctx'],
        ...['HttpCode', 'SetHeader', 'Use', 'Timeout', 'Doc', 'ResponseSchema'],
        ...['HttpError', 'BadRequestError', 'UnauthorizedError', 'ForbiddenError', 'NotFoundError'],
        ...['ConflictError', 'UnprocessableEntityError', 'TooManyRequestsError', 'InternalServerError'],
        ...['ServiceUnavailableError', 'ValidationError', 'CrestBootError', 'NotHttpEventError'],
        ...['CrestError', 'CrestUsageError'],
        ...['ErrorCodes', 'MAX_LISTED_ISSUES'],
        ...['State', 'requestContext', 'compress', 'etag', 'UploadedFile', 'UploadedFiles', 'Multipart'],
      ].sort(),
    );
    const lambda = node([
      '-e',
      "const l = require('crest/lambda'); console.log(Object.keys(l).sort().join(' '), typeof require('crest').detectSource)",
    ]);
    expect(lambda).to.equal(
      'detectSource isAlbEvent isFunctionUrlEvent isLambdaEnvironment isLatticeEvent isV1Event isV2Event undefined',
    );
  });

  it('documents itself without pointing readers to files the package does not ship', () => {
    // The published TSDoc is read in editors, far from this repository's docs, tests and example.
    const declarations = readdirSync(resolve(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.d.ts'),
    );
    expect(declarations.length).to.be.greaterThan(10);
    const repositoryOnly = /\b(?:DESIGN|PROFILE|STYLE)\.md\b|\bdocs\/|\btest\/fixtures\b|\bexample\/|\bbench\//;
    for (const file of declarations) {
      expect(readFileSync(resolve(root, 'dist', file), 'utf8'), file).not.to.match(repositoryOnly);
    }
  });

  it('gives bundlers an ESM build and Node the CommonJS one, for every entry point', () => {
    // Node knows no `module` condition: require and import share one CommonJS copy of crest.
    const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string> | string>;
    };
    for (const [entry, conditions] of Object.entries(manifest.exports)) {
      if (typeof conditions === 'string') continue;
      expect(Object.keys(conditions), entry).to.deep.equal(['types', 'module', 'default']);
      expect(conditions.module, entry).to.match(/^\.\/dist\/esm\//);
      for (const file of Object.values(conditions)) expect(existsSync(resolve(root, file)), file).to.equal(true);
    }
  });

  it('serves OpenAPI from crest/openapi with the classes of crest itself', () => {
    // A docs file that does not exist throws crest's HttpError inside crest/openapi: a second
    // copy of that class would turn the 404 into a 500.
    const out = node([
      '-e',
      `const { createApp, Controller, Get } = require('crest');
       const { openapi, openApiDocument } = require('crest/openapi');
       class Things { list() { return []; } }
       Get('/things')(Things.prototype, 'list', Object.getOwnPropertyDescriptor(Things.prototype, 'list'));
       Controller()(Things);
       const app = createApp({ controllers: [Things], openapi: openapi({ info: { title: 'Things' } }) });
       Promise.all(['/openapi.json', '/docs/missing.js'].map((url) => app.inject({ url }))).then(([spec, missing]) =>
         console.log(spec.statusCode, spec.json().info.title, Object.keys(openApiDocument(app).paths), missing.statusCode, missing.json().code));`,
    ]);
    expect(out).to.equal("200 Things [ '/things' ] 404 CREST_NOT_FOUND");
  });

  it('keeps the OpenAPI code out of the main entry, for apps that never import it', () => {
    const main = readFileSync(resolve(root, 'dist/index.js'), 'utf8');
    expect(main).to.include('createApp');
    expect(main).not.to.match(/swagger|openapi\.json|createOpenApiDocument/);
  });
});
