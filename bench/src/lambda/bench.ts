import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { median, rotate } from '../stats';
import { LAMBDA_TARGETS } from './targets';
import { ROUTES } from '../workload';
import { EVENT_KINDS } from './events';
import type { LambdaCell } from './worker';

export interface LambdaBenchOptions {
  rounds: number;
  /** Time budget of one timed run (one kind × route) in milliseconds. */
  budgetMs: number;
  /** Fewest timed invocations per (kind, route), and warm-up invocations per route and pass. */
  minIterations: number;
  warmupCalls: number;
  /** Quick mode: every event kind in one process per peer (saves a framework boot per kind). */
  oneProcess?: boolean;
  targets: readonly string[];
  cpu: string;
  log: (line: string) => void;
}

export interface LambdaSummary {
  target: string;
  kind: string;
  route: string;
  /** Median over rounds of the mean µs per invocation; undefined when the peer failed a check. */
  meanUs?: number;
  rounds: number[];
  error?: string;
}

const WORKER = join(__dirname, 'worker.js');

function runWorker(target: string, kind: string, options: LambdaBenchOptions, round: number): Promise<LambdaCell[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'taskset',
      [
        '-c',
        options.cpu,
        process.execPath,
        '--expose-gc',
        WORKER,
        target,
        kind,
        String(options.budgetMs),
        String(round),
        String(options.minIterations),
        String(options.warmupCalls),
      ],
      { env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${target} worker failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LambdaCell[]);
      },
    );
  });
}

/** Each round runs every peer × event kind in a fresh process (peers in rotated order); medians over rounds. */
export async function runLambdaBench(options: LambdaBenchOptions): Promise<LambdaSummary[]> {
  const targets = LAMBDA_TARGETS.filter((target) => !target.coldOnly && options.targets.includes(target.name));
  const cells = new Map<string, LambdaCell[]>();
  for (let round = 0; round < options.rounds; round++) {
    for (const target of rotate(targets, round)) {
      const result: LambdaCell[] = [];
      for (const kind of options.oneProcess === true ? [EVENT_KINDS.join(',')] : EVENT_KINDS) {
        try {
          result.push(...(await runWorker(target.name, kind, options, round)));
        } catch (error) {
          const message = (error as Error).message.split('\n')[0]!;
          options.log(`  round ${round + 1} ${target.name} ${kind}: ${message}`);
          for (const one of kind.split(','))
            result.push(...ROUTES.map((route) => ({ kind: one, route: route.name, error: message })));
        }
      }
      cells.set(target.name, [...(cells.get(target.name) ?? []), ...result]);
      const ok = result.filter((cell) => cell.meanUs !== undefined);
      const mean = ok.reduce((sum, cell) => sum + cell.meanUs!, 0) / Math.max(1, ok.length);
      options.log(
        `  round ${round + 1} ${target.name.padEnd(20)} ${ok.length}/${result.length} cells, mean ${mean.toFixed(1)} µs`,
      );
    }
  }
  const summaries: LambdaSummary[] = [];
  for (const target of targets) {
    const list = cells.get(target.name) ?? [];
    const keys = [...new Set(list.filter((cell) => cell.kind !== '*').map((cell) => `${cell.kind}\t${cell.route}`))];
    if (keys.length === 0) {
      summaries.push({ target: target.name, kind: '*', route: '*', rounds: [], error: list[0]?.error ?? 'no result' });
      continue;
    }
    for (const key of keys) {
      const [kind, route] = key.split('\t') as [string, string];
      const same = list.filter((cell) => cell.kind === kind && cell.route === route);
      const error = same.find((cell) => cell.error !== undefined)?.error;
      const rounds = same.filter((cell) => cell.meanUs !== undefined).map((cell) => cell.meanUs!);
      summaries.push({
        target: target.name,
        kind,
        route,
        rounds,
        meanUs: error === undefined && rounds.length > 0 ? median(rounds) : undefined,
        error,
      });
    }
  }
  return summaries;
}
