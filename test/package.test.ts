import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
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

  it('ships type declarations for both entry points', () => {
    const out = node([
      '-e',
      "const fs = require('fs'); console.log(fs.existsSync('dist/index.d.ts'), fs.existsSync('dist/testing/index.d.ts'))",
    ]);
    expect(out).to.equal('true true');
  });
});
