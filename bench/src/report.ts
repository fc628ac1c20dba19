import { renderChart, type ChartPanel } from './chart';
import { COLD_VARIANTS, type ColdResult, type ColdVariant, type ProbeRun } from './cold/bench';
import type { HttpCell, HttpRun } from './http/bench';
import type { PairCell } from './http/pairs';
import { HTTP_TARGETS } from './http/targets';
import { EVENT_KINDS, EVENT_LABELS } from './lambda/events';
import type { LambdaSummary } from './lambda/bench';
import { LAMBDA_TARGETS } from './lambda/targets';
import type { TalkResult } from './talk';
import { median } from './stats';
import { HTTP_ROUTES, ROUTES } from './workload';

export interface BenchMeta {
  date: string;
  mode: 'full' | 'quick';
  machine: string;
  node: string;
  commit: string;
  durationSeconds: number;
  settings: Record<string, string>;
  /** When and on which commit each phase in these results ran (merged runs mix several). */
  phaseRuns?: Record<string, { date: string; commit: string }>;
}

export interface BenchResults {
  meta: BenchMeta;
  http?: HttpCell[];
  /** crest against fastify, head to head (the HTTP targets' verdict when present). */
  httpPairs?: PairCell[];
  lambda?: LambdaSummary[];
  cold?: ColdResult[];
  crestLibraryBytes?: number;
  talk?: TalkResult;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const GET_ROUTES = HTTP_ROUTES.filter((route) => route.method === 'GET').map((route) => route.name);

function geomean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const ratio = (value: number) => `${value.toFixed(2)}×`;
const range = (values: readonly number[]) => `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}×`;
const mark = (met: boolean) => (met ? '✅' : '❌');

/**
 * `a`'s value over `b`'s as the median of the per-round ratios: each round measures both, so a
 * round the whole machine ran slow cancels out, where a ratio of the two medians mixes rounds.
 */
function roundRatio(a: HttpCell, b: HttpCell, value: (run: HttpRun) => number): number {
  if (a.runs.length !== b.runs.length) return median(a.runs.map(value)) / median(b.runs.map(value));
  return median(a.runs.map((run, i) => value(run) / value(b.runs[i]!)));
}

const RPS = (run: HttpRun) => run.requestsPerSecond;
const CPU = (run: HttpRun) => run.cpuUsPerRequest;

/** One table row per `[label, over, under]`: `over`'s value divided by `under`'s, per route. */
function ratioRows(
  cells: HttpCell[],
  value: (run: HttpRun) => number,
  rows: ReadonlyArray<readonly [string, string, string]>,
): string[] {
  return rows.map(([label, over, under]) => {
    const row = HTTP_ROUTES.map((route) => {
      const a = httpCell(cells, over, route.name);
      const b = httpCell(cells, under, route.name);
      return a && b ? ratio(roundRatio(a, b, value)) : 'n/a';
    });
    return `| ${label} | ${row.join(' | ')} |`;
  });
}

function httpCell(cells: HttpCell[], target: string, route: string): HttpCell | undefined {
  return cells.find((cell) => cell.target === target && cell.route === route && cell.runs.length > 0);
}

function lambdaCell(cells: LambdaSummary[], target: string, kind: string, route: string): LambdaSummary | undefined {
  return cells.find((cell) => cell.target === target && cell.kind === kind && cell.route === route);
}

export function evaluateTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const http = results.http;
  if (http !== undefined) {
    // Throughput ratio, with the same ratio from server CPU time per request beside it (steadier
    // when other processes share the machine). Against fastify the head-to-head pairs decide when
    // they were measured: the suite's medians are taken up to a minute apart.
    const compare = (route: string, over: string, under: string, factor: number, label: string) => {
      const pair = under === 'fastify' ? results.httpPairs?.find((cell) => cell.route === route) : undefined;
      if (pair !== undefined) {
        checks.push({
          target: label,
          // Three digits: a 0.998× that prints as 1.00× beside a ❌ would read as a contradiction.
          measured: `${pair.rps.toFixed(3)}× head to head (pairs ${range(pair.rpsRatios)}; by server CPU time per request: ${pair.cpu.toFixed(3)}×)`,
          met: pair.rps >= factor,
        });
        return;
      }
      const a = httpCell(http, over, route);
      const b = httpCell(http, under, route);
      if (!a || !b) return;
      const r = roundRatio(a, b, RPS);
      checks.push({
        target: label,
        measured: `${ratio(r)} (by server CPU time per request: ${ratio(roundRatio(b, a, CPU))})`,
        met: r >= factor,
      });
    };
    for (const route of GET_ROUTES) compare(route, 'crest', 'fastify', 1, `HTTP ${route}: crest ≥ 1.0× fastify`);
    compare('POST /echo', 'crest', 'fastify', 0.9, 'HTTP POST /echo: crest ≥ 0.9× fastify+ajv');
    compare('POST /echo', 'crest', 'nest-fastify', 2.5, 'HTTP POST /echo: crest ≥ 2.5× NestJS (fastify)');
  }
  const lambda = results.lambda;
  if (lambda !== undefined) {
    for (const [peer, factor] of [
      ['lambda-api', 2],
      ['hono', 10],
    ] as const) {
      for (const kind of EVENT_KINDS) {
        const ratios: number[] = [];
        for (const route of ROUTES) {
          const crest = lambdaCell(lambda, 'crest', kind, route.name)?.meanUs;
          const other = lambdaCell(lambda, peer, kind, route.name)?.meanUs;
          if (crest !== undefined && other !== undefined) ratios.push(other / crest);
        }
        if (ratios.length === 0) continue;
        const worst = Math.min(...ratios);
        checks.push({
          target: `Lambda ${EVENT_LABELS[kind]}: crest ≥ ${factor}× faster than ${peer} on every route`,
          measured: `worst route ${ratio(worst)} (geomean ${ratio(geomean(ratios))})`,
          met: worst >= factor,
        });
      }
    }
  }
  const cold = results.cold;
  if (cold !== undefined) checks.push(...coldTargets(cold, results.crestLibraryBytes));
  return checks;
}

function httpSection(cells: HttpCell[]): string[] {
  const out: string[] = ['## 1. HTTP throughput (node:http, wrk)', ''];
  const targets = HTTP_TARGETS.filter((target) => cells.some((cell) => cell.target === target.name));
  out.push(
    `Median req/s over the rounds, p99 latency in parentheses. Ratios are to fastify and to the floor measured in the same run: the median of the per-round ratios.`,
    '',
    `| Framework | POST /echo validation | ${HTTP_ROUTES.map((route) => route.name).join(' | ')} |`,
    `| --- | --- | ${HTTP_ROUTES.map(() => '---:').join(' | ')} |`,
  );
  for (const target of targets) {
    const row = HTTP_ROUTES.map((route) => {
      const cell = httpCell(cells, target.name, route.name);
      return cell ? `${int(cell.rps)} (${fixed(cell.p99, 2)} ms)` : 'n/a';
    });
    const name = target.name === 'crest' ? `**${target.label}**` : target.label;
    out.push(`| ${name} | ${target.validation} | ${row.join(' | ')} |`);
  }
  out.push(
    '',
    `| Ratio | ${HTTP_ROUTES.map((route) => route.name).join(' | ')} |`,
    `| --- | ${HTTP_ROUTES.map(() => '---:').join(' | ')} |`,
  );
  out.push(
    ...ratioRows(cells, RPS, [
      ['crest / fastify', 'crest', 'fastify'],
      ['crest / floor', 'crest', 'floor'],
      ['fastify / floor', 'fastify', 'floor'],
      ['crest / NestJS (fastify)', 'crest', 'nest-fastify'],
    ]),
  );
  out.push(
    '',
    'Server CPU time per request (user + system µs of the server process over the timed run, median over rounds; lower is better). It does not move when another process takes turns on the server’s core, so its ratios are the steadier ones on a shared machine.',
    '',
    `| Framework | ${HTTP_ROUTES.map((route) => route.name).join(' | ')} |`,
    `| --- | ${HTTP_ROUTES.map(() => '---:').join(' | ')} |`,
  );
  for (const target of targets) {
    const row = HTTP_ROUTES.map((route) => {
      const cell = httpCell(cells, target.name, route.name);
      return cell ? fixed(cell.cpuUs) : 'n/a';
    });
    out.push(`| ${target.name === 'crest' ? `**${target.label}**` : target.label} | ${row.join(' | ')} |`);
  }
  // CPU per request: lower is better, so the ratios put crest second to read like the req/s ones.
  out.push(
    ...ratioRows(cells, CPU, [
      ['fastify / crest (CPU per request)', 'fastify', 'crest'],
      ['floor / crest (CPU per request)', 'floor', 'crest'],
    ]),
  );
  const failed = [...new Map(cells.filter((cell) => cell.error).map((cell) => [cell.target, cell.error])).entries()];
  if (failed.length > 0) {
    out.push('', 'Not timed (failed a check):', '', ...failed.map(([target, error]) => `- ${target}: ${error}`));
  }
  out.push('');
  return out;
}

function pairsSection(cells: PairCell[]): string[] {
  return [
    '### Head to head: crest against fastify',
    '',
    'The suite above runs each framework in turn, so two medians can be a minute apart while this shared machine drifts by 10–30 %. Here both servers stay up and each route is run as crest, fastify, fastify, crest, …: every pair of runs is seconds apart, and the HTTP targets read the median pair ratio.',
    '',
    '| Route | crest / fastify by req/s | pairs | fastify / crest by server CPU per request | pairs |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...cells.map(
      (cell) =>
        `| ${cell.route} | ${cell.rps.toFixed(3)}× | ${range(cell.rpsRatios)} | ${cell.cpu.toFixed(3)}× | ${range(cell.cpuRatios)} |`,
    ),
    '',
  ];
}

function lambdaSection(cells: LambdaSummary[]): string[] {
  const out: string[] = ['## 2. Lambda, in-process (µs per invocation)', ''];
  out.push(
    'Mean µs per invocation (median over rounds), each peer and event kind in its own process, fresh event objects per call, every result checked. Lower is better. `n/a`: the peer fails the correctness checks on that event kind (reason below).',
    '',
  );
  const targets = LAMBDA_TARGETS.filter((target) => cells.some((cell) => cell.target === target.name));
  const failures: string[] = [];
  for (const kind of EVENT_KINDS) {
    out.push(
      `### ${EVENT_LABELS[kind]}`,
      '',
      `| Peer | POST /echo validation | ${ROUTES.map((route) => route.name).join(' | ')} | geomean | × floor | lambda-api / peer |`,
      `| --- | --- | ${ROUTES.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
    );
    const floorMean = kindGeomean(cells, 'floor', kind);
    const apiMean = kindGeomean(cells, 'lambda-api', kind);
    for (const target of targets) {
      const values = ROUTES.map((route) => lambdaCell(cells, target.name, kind, route.name));
      const error = values.find((cell) => cell?.error !== undefined)?.error;
      if (error !== undefined) failures.push(`- ${target.label}, ${EVENT_LABELS[kind]}: ${error.slice(0, 200)}`);
      const mean = kindGeomean(cells, target.name, kind);
      const name = target.name.startsWith('crest') ? `**${target.label}**` : target.label;
      out.push(
        `| ${name} | ${target.validation} | ${values.map((cell) => (cell?.meanUs === undefined ? 'n/a' : fixed(cell.meanUs))).join(' | ')} | ${mean === undefined ? 'n/a' : fixed(mean)} | ${mean !== undefined && floorMean !== undefined ? ratio(mean / floorMean) : 'n/a'} | ${mean !== undefined && apiMean !== undefined ? ratio(apiMean / mean) : 'n/a'} |`,
      );
    }
    out.push('');
  }
  const crashed = cells.filter((cell) => cell.kind === '*');
  for (const cell of crashed) failures.push(`- ${cell.target}: ${cell.error ?? 'failed'}`);
  if (failures.length > 0) out.push('Checks that failed (these cells are not timed):', '', ...new Set(failures), '');
  return out;
}

/** A timed result of one target and variant; undefined if it failed or was not run. */
function coldRow(cold: readonly ColdResult[], target: string, variant: ColdVariant): TimedColdResult | undefined {
  const row = cold.find((result) => result.target === target && result.variant === variant);
  return row?.split !== undefined && row.wallMedian !== undefined ? (row as TimedColdResult) : undefined;
}
type TimedColdResult = ColdResult & Required<Pick<ColdResult, 'split' | 'wallMedian'>>;

/**
 * `a` − `b` as the median of the run-by-run differences: run i of both came from the same pass
 * over the files, seconds apart, so a minute the whole machine ran slow cancels out. Falls back
 * to the difference of the medians for results recorded without runs.
 */
function pairedDifference(a: TimedColdResult, b: TimedColdResult, key: keyof ProbeRun): number {
  const [runsA, runsB] = [a.runs ?? [], b.runs ?? []];
  if (runsA.length === 0 || runsA.length !== runsB.length) {
    return key === 'wall' ? a.wallMedian - b.wallMedian : a.split[key] - b.split[key];
  }
  return median(runsA.map((run, i) => run[key] - runsB[i]![key]));
}

const signed = (value: number) => `${value >= 0 ? '+' : '−'}${fixed(Math.abs(value))}`;

/** How two cold starts compare: the issue's measure (import + build + first invoke), the wall, the CPU. */
function coldComparison(a: TimedColdResult, b: TimedColdResult): string {
  return [
    `import+build+first invoke ${fixed(a.split.total)} vs ${fixed(b.split.total)} ms, paired ${signed(pairedDifference(a, b, 'total'))} ms`,
    `wall (hyperfine median) ${fixed(a.wallMedian)} vs ${fixed(b.wallMedian)} ms (${ratio(a.wallMedian / b.wallMedian)}), paired ${signed(pairedDifference(a, b, 'wall'))} ms`,
    `process CPU paired ${signed(pairedDifference(a, b, 'cpu'))} ms`,
  ].join('; ');
}

/**
 * The issue's cold-start targets, all on the minified ESM bundles of one run, judged as the issue
 * measures a start (import + build + first invoke) by the median of the paired differences: `a`
 * may be at most `allowance` ms slower than `b`.
 */
const COLD_TARGETS = [
  {
    target: 'Cold start (ESM bundle, minified): crest with two DTOs no slower than hono/aws-lambda, same routes',
    a: 'crest-two-dtos',
    b: 'hono',
    allowance: 0,
  },
  {
    target: 'Cold start (ESM bundle, minified): crest without DTOs ≤ 5 ms over the find-my-way floor',
    a: 'crest-plain',
    b: 'floor-fmw',
    allowance: 5,
  },
] as const;

function coldTargets(cold: readonly ColdResult[], libraryBytes: number | undefined): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const { target, a, b, allowance } of COLD_TARGETS) {
    const [rowA, rowB] = [coldRow(cold, a, 'esm'), coldRow(cold, b, 'esm')];
    if (rowA === undefined || rowB === undefined) continue;
    checks.push({
      target,
      measured: coldComparison(rowA, rowB),
      met: pairedDifference(rowA, rowB, 'total') <= allowance,
    });
  }
  const bundleOf = (target: string, variant: ColdVariant) =>
    cold.find((result) => result.target === target && result.variant === variant)?.bundleBytes;
  const sizes: [string, number | undefined, number][] = [
    ['Bundle (ESM, minified): crest app with two DTOs < 200 kB', bundleOf('crest-two-dtos', 'esm'), 200_000],
    [
      'Bundle (CommonJS, minified, class-validator external): crest app without DTOs ≤ 150 kB',
      bundleOf('crest-plain', 'bundled'),
      150_001,
    ],
    ['Bundle: crest library alone (no app, no class-validator) ≤ 150 kB minified', libraryBytes, 150_001],
  ];
  for (const [target, bytes, below] of sizes) {
    if (bytes !== undefined) checks.push({ target, measured: `${fixed(bytes / 1000)} kB`, met: bytes < below });
  }
  return checks;
}

function kindGeomean(cells: LambdaSummary[], target: string, kind: string): number | undefined {
  const values = ROUTES.map((route) => lambdaCell(cells, target, kind, route.name)?.meanUs);
  if (values.some((value) => value === undefined)) return undefined;
  return geomean(values as number[]);
}

const VARIANT_LABELS: Record<ColdVariant, string> = {
  unbundled: 'tsc, unbundled',
  bundled: 'CommonJS bundle',
  esm: 'ESM bundle',
};

function coldSection(results: ColdResult[], libraryBytes: number | undefined): string[] {
  const out: string[] = ['## 3. Cold start', ''];
  out.push(
    'A fresh `node` process pinned to one core loads the handler module, builds the app and serves one REST v1 `GET /users/42`. Wall: hyperfine, whole process (Node boot and exit included), median over every run of every round. Split: medians of the probe’s own clock (`performance.now()`): import = loading the framework and the app (`require`, or `import()` of the ESM bundle as Lambda loads an `.mjs` handler), build = app + handler construction, invoke = first event; CPU = user + system time of the whole process when the first answer is in (Node’s boot included), which does not grow while other processes take the core. Bundles: esbuild, minified, one file; CommonJS as CDK bundles by default, ESM as its `OutputFormat.ESM` with mainFields `module,main`, from the apps compiled by tsc to ES modules (tree-shakable imports). “+ banner”: the ESM bundle only starts with the `createRequire` banner CDK documents (a CommonJS dependency requires a Node built-in). The probe runs are interleaved: each pass runs every file once, in rotated order, so the targets compare two files by the median of their run-by-run (paired) differences, which a busy minute on this shared machine does not skew as it skews two medians taken minutes apart.',
    '',
    '| Peer | variant | wall (hyperfine median) | Node boot | import | build | first invoke | import+build+invoke | CPU (process) | RSS | bundle | class-validator loaded |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const target of LAMBDA_TARGETS) {
    for (const variant of COLD_VARIANTS) {
      const result = results.find((entry) => entry.target === target.name && entry.variant === variant);
      if (result === undefined) continue;
      const name = target.name.startsWith('crest') ? `**${target.label}**` : target.label;
      const label = `${VARIANT_LABELS[variant]}${result.banner ? ' + banner' : ''}`;
      if (result.error !== undefined || result.split === undefined) {
        out.push(`| ${name} | ${label} | failed: ${result.error?.slice(0, 120) ?? '?'} | | | | | | | | | |`);
        continue;
      }
      const s = result.split;
      // Inside a bundle the question does not apply, except where the bundle leaves the library out.
      const loaded =
        variant !== 'unbundled' && !(variant === 'bundled' && target.name === 'crest-plain')
          ? 'n/a (bundled in)'
          : result.classValidatorLoaded
            ? 'yes'
            : 'no';
      out.push(
        `| ${name} | ${label} | ${result.wallMedian === undefined ? 'n/a' : `${fixed(result.wallMedian)} ms`} | ${fixed(s.boot)} ms | ${fixed(s.import)} ms | ${fixed(s.build)} ms | ${fixed(s.invoke)} ms | ${fixed(s.total)} ms | ${s.cpu === undefined ? 'n/a' : `${fixed(s.cpu)} ms`} | ${fixed(s.rssMb)} MB | ${result.bundleBytes === undefined ? '' : `${fixed(result.bundleBytes / 1000)} kB`} | ${loaded} |`,
      );
    }
  }
  if (libraryBytes !== undefined) {
    out.push(
      '',
      `crest alone (\`require('crest')\`, minified, class-validator external): ${fixed(libraryBytes / 1000)} kB.`,
    );
  }
  out.push('');
  return out;
}

function talkSection(talk: TalkResult): string[] {
  const out: string[] = ['## 4. The talk’s table: the postal-code API', ''];
  out.push(talk.note, '');
  if (talk.rows.length > 0) {
    out.push(
      '| Setup | req/s | p50 | p90 | p99 | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...talk.rows.map(
        (row) =>
          `| ${row.label} | ${row.result ? fixed(row.result.requestsPerSecond) : 'n/a'} | ${row.result ? `${fixed(row.result.p50, 2)} ms` : ''} | ${row.result ? `${fixed(row.result.p90, 2)} ms` : ''} | ${row.result ? `${fixed(row.result.p99, 2)} ms` : ''} | ${row.result ? row.result.failures : (row.error ?? '')} |`,
      ),
      '',
    );
  }
  return out;
}

export function renderMarkdown(results: BenchResults): string {
  const meta = results.meta;
  const out: string[] = [
    '# crest benchmarks',
    '',
    `Generated by \`npm run bench${meta.mode === 'quick' ? ' -- --quick' : ''}\` in \`bench/\` on ${meta.date} (${meta.mode} mode, ${Math.round(meta.durationSeconds)} s), commit \`${meta.commit}\`.`,
    `Machine: ${meta.machine}; Node ${meta.node}.`,
    '',
    ...Object.entries(meta.settings).map(([key, value]) => `- ${key}: ${value}`),
    '',
    ...(meta.mode === 'quick'
      ? [
          '> **Quick mode is a smoke test**: one short round, little warm-up. Its numbers check that every peer runs and answers correctly; they are not comparable measurements.',
          '',
        ]
      : []),
    '![crest against its peers](chart.svg)',
    '',
  ];
  const checks = evaluateTargets(results);
  if (checks.length > 0) {
    out.push('## Targets', '', '| Target | Measured | Met |', '| --- | --- | :---: |');
    for (const check of checks) out.push(`| ${check.target} | ${check.measured} | ${mark(check.met)} |`);
    out.push('');
  }
  if (!checks.every((check) => check.met)) {
    out.push('Where crest misses a target, [PROFILE.md](PROFILE.md) has the profile and the measured fixes.', '');
  }
  if (results.http) out.push(...httpSection(results.http));
  if (results.httpPairs) out.push(...pairsSection(results.httpPairs));
  if (results.lambda) out.push(...lambdaSection(results.lambda));
  if (results.cold) out.push(...coldSection(results.cold, results.crestLibraryBytes));
  if (results.talk) out.push(...talkSection(results.talk));
  out.push(
    '## Workload and method',
    '',
    '- Every framework serves the same routes: `GET /hello` → `{"hello":"world"}`, `GET /users/:id` → `{"id":"<id>"}`, `GET /search?q=x&tag=a&tag=b` → `{"q":"x","tags":["a","b"]}`, `POST /echo` with `{"name":string,"age":int}` validated and echoed, behind 50 extra routes (25 static, 25 with a parameter) registered first. Over HTTP also the example’s postal-code lookup, `GET /postal_code?code=1000001` over the example’s embedded Japan Post data set (loaded with the example’s own loader; a 7-digit check: the example’s `LookupQuery` DTO for crest and the decorator peers, a querystring schema for fastify, a regex for the others).',
    '- Validation of `POST /echo`: class-validator DTO (whitelist + forbidNonWhitelisted) for crest, routing-controllers and NestJS; JSON schema (ajv) for fastify, which also gets response schemas (its fast path); a hand-written type check (`isEchoInput`) for the others. lambda-api has no validation layer.',
    '- Before timing and again after, every peer must answer every route with the right status and JSON body, route an extra static and an extra parameter route, reject an invalid `/echo` body with 400 and answer 404 for an unknown path; wrk runs with any non-2xx answer or socket error are rejected. On Lambda, every timed result is checked too.',
    '- HTTP: the server is pinned to one core and wrk (1 thread) to the other with `taskset`; each round starts a fresh server per framework, in a rotated order so machine noise spreads over all frameworks.',
    '- Lambda: each peer runs in its own pinned process per event kind (a deployed function sees one event source and many routes; no cross-framework JIT pollution); every route is warmed before any is timed and each timed route starts after a full GC; events and contexts are built in untimed batches of 500 (a small live set, as on Lambda), never reused, and every result is checked after its batch. ALB events use multi-value mode (the only mode that keeps repeated query keys); `@fastify/aws-lambda` gets its `albMultiValueHeaders` option for it.',
    '- Cold start: one process per sample; esbuild bundles are minified (with `keepNames` only for NestJS and routing-controllers, which need class names), and resolve class-validator, class-transformer and reflect-metadata to one copy each, shared by the app and crest as in a user’s install. The crest-without-DTO CommonJS bundle marks class-validator and class-transformer external, and the table says whether they were loaded at run time (for other bundles the question does not apply: what they import is inside the bundle). Before timing, every file answers every route and error case on every event kind once. crest (two DTOs) is crest (no DTO) with `POST /echo` taking an `EchoDto` body and `GET /users/:id` answering through `@ResponseSchema(UserAnswer)`; hono and lambda-api check the echo body by hand (`isEchoInput`: the same rules as `EchoDto` with crest’s whitelist defaults, with a plain `{"error"}` 400 instead of crest’s problem details listing each field), and send their answers as built.',
    '',
  );
  return out.join('\n');
}

export function renderResultsChart(results: BenchResults): string {
  const panels: ChartPanel[] = [];
  if (results.http) {
    const http = results.http;
    const bars = HTTP_TARGETS.flatMap((target) => {
      const values = HTTP_ROUTES.map((route) => httpCell(http, target.name, route.name)?.rps);
      if (values.some((value) => value === undefined)) return [];
      return [{ label: target.label, value: geomean(values as number[]), highlight: target.name === 'crest' }];
    }).sort((a, b) => b.value - a.value);
    panels.push({
      title: 'HTTP throughput (node:http, wrk, one core)',
      subtitle:
        'req/s, geometric mean of GET /hello, /users/:id, /search, /postal_code and POST /echo (validated); higher is better',
      unit: 'req/s',
      bars,
    });
  }
  if (results.lambda) {
    const lambda = results.lambda;
    const bars = LAMBDA_TARGETS.flatMap((target) => {
      const values = EVENT_KINDS.map((kind) => kindGeomean(lambda, target.name, kind));
      if (values.some((value) => value === undefined)) return [];
      return [{ label: target.label, value: geomean(values as number[]), highlight: target.name.startsWith('crest') }];
    }).sort((a, b) => a.value - b.value);
    panels.push({
      title: 'Lambda, in-process',
      subtitle: 'µs per invocation, geometric mean over REST v1, HTTP API v2, ALB × 4 routes; lower is better',
      unit: 'µs',
      bars,
    });
  }
  if (results.cold) {
    const bars = LAMBDA_TARGETS.flatMap((target) => {
      const split = results.cold!.find((entry) => entry.target === target.name && entry.variant === 'esm')?.split;
      return split === undefined
        ? []
        : [{ label: target.label, value: split.total, highlight: target.name.startsWith('crest') }];
    }).sort((a, b) => a.value - b.value);
    panels.push({
      title: 'Lambda cold start (esbuild ESM bundle, minified)',
      subtitle: 'ms from the first line of the entry: import + build + first event; lower is better',
      unit: 'ms',
      bars,
    });
  }
  return renderChart(panels);
}
