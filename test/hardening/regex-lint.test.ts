import { expect } from 'chai';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

const ROOT = join(__dirname, '..', '..', '..');
const PROBE = 'src/regex-probe.ts';

describe('the lint', () => {
  let eslint: ESLint;
  before(async function () {
    // Loading the config (typescript-eslint, the regexp plugin) takes seconds on a busy machine.
    this.timeout(60_000);
    // The probe is no file of the TypeScript project: it gets the config without the type-checked rules.
    eslint = new ESLint({ cwd: ROOT, overrideConfig: { files: [PROBE], ...tseslint.configs.disableTypeChecked } });
    await regexProblems('');
  });

  /** The regexp/* rules the repository's lint config reports for `source`, linted as a file of src/. */
  async function regexProblems(source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: join(ROOT, PROBE) });
    return result!.messages.map((message) => message.ruleId ?? '').filter((rule) => rule.startsWith('regexp/'));
  }

  describe('when a regex in src/ can take super-linear time on request data', () => {
    const cases: Array<[string, string, string]> = [
      [
        'the number check crest shipped (`\\d+\\.?\\d*` splits a digit run n ways)',
        String.raw`export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;`,
        'regexp/no-super-linear-backtracking',
      ],
      ['nested quantifiers', String.raw`export const NESTED = /^(?:a+)+$/;`, 'regexp/no-super-linear-backtracking'],
      [
        'an unanchored search that rescans from every position',
        String.raw`export const hasCharset = (type: string) => /\s+charset=/.test(type);`,
        'regexp/no-super-linear-move',
      ],
    ];
    for (const [name, source, rule] of cases) {
      it(`fails on ${name}`, async () => {
        expect(await regexProblems(source)).to.include(rule);
      });
    }
  });

  describe('when a regex is linear', () => {
    it('passes the number check crest ships now', async () => {
      const source = String.raw`export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;`;
      expect(await regexProblems(source)).to.deep.equal([]);
    });
  });
});
