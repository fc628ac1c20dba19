import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import safeRegex from 'safe-regex2';
import { FIND_MY_WAY_OWN, isRegexSafe } from '../../src/router/regex-safety';
import type { BundleRequest, BundleRun } from '../bundles/support/run-bundle';

const ROOT = resolve(__dirname, '../../..');

/** [what the case pins, pattern, safe-regex2's verdict]. Every pattern is one `new RegExp` accepts. */
const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['a plain pattern', '^abc$', true],
  ['one repetition', '^\\d+$', true],
  ['repetitions side by side', 'a*b+c?d{2}e{2,}f{2,3}', true],
  ['a repeated group without repetition inside', '(ab)+', true],
  ['a nested repetition', '^(a+)+$', false],
  ['a nested repetition, deeper', '((a)*)+', false],
  ['a nested repetition in a non-capturing group', '(?:a*)*', false],
  ['`?` counts: inside', '(a?)*', false],
  ['`?` counts: outside', '(?:a*)?', false],
  ['`{n}` counts', '(a{2})+', false],
  ['`{n,}` counts', '(a{2,})?', false],
  ['a nested repetition in one alternative', '(a|b*)*', false],
  ['an alternation repeated, no repetition inside', '(a|b)*', true],
  ['alternatives each with a repetition, unrepeated', '(a*|b+)', true],
  ['a lazy quantifier', 'a*?', true],
  ['lazy quantifiers of every kind', 'a+?b??c{2,3}?d{2}?', true],
  ['a lazy repetition of a group hides what it repeats', '(a*)*?', true],
  ['a lazy repetition of a group, deeper', '((a+)+)+?', true],
  ['a repeated group holding a lazy repetition', '(a*?)*', false],
  ['a class holding ( ) * and escaped ]', '[(*)\\]]+', true],
  ['a class starting with ]', '[]a]', true],
  ['[^] closes at once', '[^]*', true],
  ['a negated class', '[^a-z]+', true],
  ['escaped parens are characters', '\\(a*\\)*', true],
  ['an escaped backslash then a group', '\\\\(a*)*', false],
  ['a backreference repeated', '(a)\\1+', true],
  ['a multi-digit backreference', '\\12*', true],
  ['`{` not a quantifier is a literal', 'a{,2}b{x}', true],
  ['`{` literals inside a repeated group', '(a{)*', true],
  ['a named group', '(?<year>\\d{4})-(?<$m_1>\\d{2})', true],
  ['a named group repeated with a repetition inside', '(?<n>a+)+', false],
  ['a named group with a non-ASCII name', '(?<é>a)', false],
  ['a lookahead', 'a(?=b)', true],
  ['a negative lookahead holding a repetition', '(?!a+)b', true],
  ['a repeated lookahead holding a repetition', '(?=a*)*', false],
  ['a lookbehind', '(?<=a)b', false],
  ['a negative lookbehind', '(?<!a)b', false],
  ['a \\x escape', '\\x41+', true],
  ['a \\x escape of a paren is a character', '\\x28a*\\x29*', true],
  ['a \\u escape of a backslash escapes what follows', '\\u005C(a)', false],
  ['a lower-case \\u escape is left alone', '\\u005c(a*)*', false],
  ['[\\b] and \\b', '[\\b]+\\b', true],
  ['\\c escapes', '\\cA+\\c?', true],
  ['25 repetitions', 'a*'.repeat(25), true],
  ['26 repetitions', 'a*'.repeat(26), false],
  ['26 lazy repetitions', 'a*?'.repeat(26), false],
  ['26 repetitions hidden in a group a lazy one repeats', `(${'a?'.repeat(26)})*?`, true],
  ["find-my-way's OPTIONAL_PARAM_REGEXP", '(\\/:[^/()]*?)\\?(\\/?)', true],
  ["find-my-way's ESCAPE_REGEXP", '[.*+?^${}()|[\\]\\\\]', true],
  ["find-my-way's REMOVE_DUPLICATE_SLASHES_REGEXP", '\\/\\/+', true],
];

/** A pattern source that `new RegExp` accepts, or null. */
function compiles(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

/** Tokens the generated patterns are made of: every construct the rules above name. */
const TOKENS = [
  ...['a', 'b', '1', '-', ',', '.', '^', '$', '\\d', '\\w', '\\b', '\\\\', '\\(', '\\)', '\\[', '\\]', '\\n'],
  ...['(', '(', ')', ')', '(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '(?<é>', '|', '|'],
  ...['*', '+', '?', '*?', '+?', '??', '{2}', '{2,}', '{2,3}', '{2,3}?', '{', '}', '{,2}'],
  ...['[', ']', '[^', '[]', '[^]', '[\\b]', '\\1', '\\2', '\\12', '\\k<n>'],
  ...['\\x5C', '\\x28', '\\x5D', '\\u005C', '\\u005c', '\\cA', '\\c?', '\\0'],
];

/** mulberry32: a small seeded generator, so that a failing pattern can be found again. */
function seededRandom(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % below) | 0;
  };
}

function generatedPatterns(seed: number, count: number): RegExp[] {
  const random = seededRandom(seed);
  const patterns: RegExp[] = [];
  while (patterns.length < count) {
    let pattern = '';
    for (let length = 1 + random(30); length > 0; length--) pattern += TOKENS[random(TOKENS.length)];
    const compiled = compiles(pattern);
    if (compiled !== null) patterns.push(compiled);
  }
  return patterns;
}

const RUNNER = join(ROOT, 'build/test/bundles/support/run-bundle.js');
const APPS = join(ROOT, 'test/routing/support/regex-routes');

/** Loads an app in a fresh process (test/bundles' runner) and sends it the requests. */
function run(file: string, requests: readonly BundleRequest[]): BundleRun {
  const output = execFileSync(process.execPath, [RUNNER, file], { input: JSON.stringify(requests), encoding: 'utf8' });
  return JSON.parse(output) as BundleRun;
}

describe('isRegexSafe', () => {
  describe('when compared with safe-regex2 on hand-picked patterns', () => {
    for (const [name, pattern, verdict] of CASES) {
      it(`${verdict ? 'accepts' : 'refuses'} ${name}: /${pattern}/`, () => {
        const compiled = compiles(pattern);
        expect(compiled, 'new RegExp accepts it').not.to.equal(null);
        expect(safeRegex(compiled!)).to.equal(verdict);
        expect(isRegexSafe(compiled!)).to.equal(verdict);
        expect(isRegexSafe(pattern)).to.equal(verdict);
      });
    }
  });

  describe('when compared with safe-regex2 on a generated corpus', () => {
    it('agrees on every one of 5000 random patterns new RegExp accepts', () => {
      const patterns = generatedPatterns(20_250_613, 5000);
      const disagreements = patterns.filter((pattern) => isRegexSafe(pattern) !== safeRegex(pattern));
      expect(disagreements.map((pattern) => pattern.source)).to.deep.equal([]);
      // The corpus reaches both verdicts, and the parse failures (lookbehinds, names ret refuses).
      const unsafe = patterns.filter((pattern) => !safeRegex(pattern)).length;
      expect(unsafe).to.be.above(500).and.below(4500);
    });
  });
});

describe('a route regex parameter', function () {
  this.timeout(60_000);
  let bundles: string;

  before(() => {
    bundles = mkdtempSync(join(tmpdir(), 'crest-regex-routes-'));
  });
  after(() => {
    rmSync(bundles, { recursive: true, force: true });
  });

  /** The app compiled by tsc (crest's CommonJS build). */
  const compiled = (app: string): string => join(__dirname, 'support/regex-routes', `${app}.js`);

  /** The app bundled from .ts as CDK's OutputFormat.ESM does (crest's ESM build, regex-safety.ts). */
  async function bundled(app: string): Promise<string> {
    const outfile = join(bundles, `${app}.mjs`);
    await build({
      entryPoints: [join(APPS, `${app}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      mainFields: ['module', 'main'],
      minify: true,
      absWorkingDir: ROOT,
      logLevel: 'silent',
    });
    return outfile;
  }

  describe('when the regex nests repetitions', () => {
    it('refuses to boot, from the CommonJS build and from an ESM bundle alike', async () => {
      for (const file of [compiled('unsafe'), await bundled('unsafe')]) {
        const result = run(file, []);
        expect(result.booted, file).to.equal(false);
        if (result.booted) return;
        expect(result.error.code).to.equal('CREST_INVALID_ROUTE');
        expect(result.error.message).to.include("The regex '(^(a+)+$)' is not safe");
      }
    });
  });

  describe('when the regex is safe', () => {
    it('routes by it, from the CommonJS build and from an ESM bundle alike', async () => {
      for (const file of [compiled('safe'), await bundled('safe')]) {
        const result = run(file, [{ inject: { url: '/n/42' } }, { inject: { url: '/n/4x' } }]);
        if (!result.booted) throw new Error(`${file} did not boot: ${result.error.message}`);
        const [number, notANumber] = result.answers as Array<{ statusCode: number; body: string }>;
        expect(number).to.include({ statusCode: 200, body: '{"id":"42"}' });
        expect(notANumber!.statusCode).to.equal(404);
      }
    });
  });
});

describe("find-my-way's own regexes, which it checks at each import", () => {
  it('are the ones isRegexSafe answers without analysing them, and safe by safe-regex2', () => {
    const source = readFileSync(require.resolve('find-my-way'), 'utf8');
    const checked = [...source.matchAll(/^if \(!isRegexSafe\((\w+)\)\)/gm)].map((match) => match[1]!);
    const literals = checked.map((name) => new RegExp(`^const ${name} = /(.+)/g?$`, 'm').exec(source)?.[1]);
    expect(checked).to.have.length(3);
    expect(new Set(literals)).to.deep.equal(FIND_MY_WAY_OWN);
    for (const literal of literals) expect(safeRegex(new RegExp(literal!)), literal).to.equal(true);
  });
});

describe("crest's builds of find-my-way", () => {
  // The CommonJS build's main file, and the ESM build's module that find-my-way is bundled into.
  for (const file of ['dist/index.js.map', 'dist/esm/router/find-my-way.js.map']) {
    const sources = (): string[] =>
      (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { sources: string[] }).sources;

    it(`carry regex-safety.ts in place of safe-regex2 and ret (${file})`, () => {
      expect(sources().filter((source) => /node_modules\/(safe-regex2|ret)\//.test(source))).to.deep.equal([]);
      expect(sources().some((source) => source.endsWith('src/router/regex-safety.ts'))).to.equal(true);
    });

    it(`leave out what crest never calls: compile(), prettyPrint(), node:assert (${file})`, () => {
      const left = sources().filter((source) => /find-my-way\/lib\/(compiler|pretty-print)\.js$/.test(source));
      expect(left).to.deep.equal([]);
      expect(sources().some((source) => source.endsWith('src/router/find-my-way-unused.cjs'))).to.equal(true);
      expect(sources().some((source) => source.endsWith('src/router/node-assert.cjs'))).to.equal(true);
    });
  }
});
