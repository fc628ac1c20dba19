import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCodes } from '../src';

describe('ErrorCodes', () => {
  const codes = Object.values(ErrorCodes);

  it('never uses one code twice', () => {
    expect(new Set(codes).size).to.equal(codes.length);
  });

  it('documents every code in the README table, and no other', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Error codes'));
    const documented = new Set(table.match(/CREST_[A-Z_]+/g));
    expect([...documented].sort()).to.deep.equal([...codes].sort());
  });
});
