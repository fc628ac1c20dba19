import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCodes } from '../src';
import { ERROR_DEFINITIONS, requestError, type ErrorCode, type ErrorDefinition } from '../src/errors';
import { statusText } from '../src/status-text';

/** The README's `## Error codes` table: each row's codes with its status column. */
function documentedStatuses(): Map<string, string> {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'));
  const statuses = new Map<string, string>();
  for (const row of section.split('\n').filter((line) => line.startsWith('| `CREST_'))) {
    const [codes = '', status = ''] = row.split('|').slice(1);
    for (const code of codes.match(/CREST_[A-Z_]+/g) ?? []) statuses.set(code, status.trim());
  }
  return statuses;
}

/** What the README's status column says for a definition. */
function statusColumn(definition: ErrorDefinition): string {
  return definition.kind === 'request' ? String(definition.status) : definition.kind;
}

describe('ErrorCodes', () => {
  const codes = Object.keys(ERROR_DEFINITIONS) as ErrorCode[];

  it('names every code of the table, by the code without its prefix', () => {
    expect(Object.values(ErrorCodes).sort()).to.deep.equal([...codes].sort());
    for (const [name, code] of Object.entries(ErrorCodes)) expect(code).to.equal(`CREST_${name}`);
  });

  it('documents every code in the README table with its status or kind, and no other', () => {
    const documented = documentedStatuses();
    expect([...documented.keys()].sort()).to.deep.equal([...codes].sort());
    for (const code of codes) expect(documented.get(code), code).to.equal(statusColumn(ERROR_DEFINITIONS[code]));
  });

  describe('when a code has a status of its own', () => {
    const withStatus = codes.flatMap((code) => {
      const definition: ErrorDefinition = ERROR_DEFINITIONS[code];
      return definition.kind === 'request' && typeof definition.status === 'number' ? [{ code, definition }] : [];
    });

    it('titles its problem with the reason phrase (RFC 9457 §4.2.1: type is about:blank)', () => {
      const plainer = new Set<string>([ErrorCodes.RESPONSE_TOO_LARGE]);
      for (const { code, definition } of withStatus) {
        if (!plainer.has(code)) expect(definition.title, code).to.equal(statusText(definition.status));
      }
    });

    it('gives its status and title to the error thrown with it', () => {
      for (const { code, definition } of withStatus) {
        const error = requestError(code as Parameters<typeof requestError>[0], 'why');
        expect(error, code).to.include({ status: definition.status, title: definition.title, code });
      }
    });
  });
});
