import { SCALES } from './classes';
import type { Sample } from './measure';

/** One class on one transport: a sample per size (undefined: not run). */
export interface Row {
  name: string;
  what: string;
  transport: string;
  samples: Array<Sample | undefined>;
  /** The scale at which a request never finished (the worker was killed), if any. */
  timedOutAt?: number;
}

/** Flags when a size 16× larger costs more than this many times as much. */
export const GROWTH_LIMIT = 20;
/** Flags a refused request (4xx) costing more CPU than this, in ms. */
export const REFUSAL_LIMIT_MS = 100;

export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** 16× over 1×; when 16× was not run because 4× was already slow, 4×/1× squared (a lower bound for a quadratic class). */
export function growth(row: Row): { ratio: number; estimated: boolean } | undefined {
  const [one, four, sixteen] = row.samples;
  if (one === undefined) return undefined;
  if (sixteen !== undefined) return { ratio: sixteen.ms / one.ms, estimated: false };
  if (four !== undefined) return { ratio: (four.ms / one.ms) ** 2, estimated: true };
  return undefined;
}

/** How the table names a transport. */
const TRANSPORT_LABELS: Record<string, string> = {
  node: 'node:http',
  'json-parse': 'JSON.parse alone (reference)',
};

export function flags(row: Row): string[] {
  // The reference row times V8, not crest: nothing to flag.
  if (row.transport === 'json-parse') return [];
  const found: string[] = [];
  const ratio = growth(row);
  if (ratio !== undefined && row.samples.length > 1 && ratio.ratio > GROWTH_LIMIT) {
    found.push(`GROWTH > ${GROWTH_LIMIT}×${ratio.estimated ? ' (est.)' : ''}`);
  }
  if (row.timedOutAt !== undefined) found.push(`TIMED OUT at ${row.timedOutAt}×`);
  const slowRefusal = row.samples.some(
    (sample) =>
      sample !== undefined &&
      sample.ms > REFUSAL_LIMIT_MS &&
      sample.statuses.every((status) => status >= 400 && status < 500),
  );
  if (slowRefusal) found.push(`REFUSAL > ${REFUSAL_LIMIT_MS} ms`);
  if (row.samples.some((sample) => sample?.statuses.some((status) => status >= 500))) found.push('5xx');
  return found;
}

export function renderTable(rows: Row[]): string {
  const lines = [
    `| class (what grows) | transport | ${SCALES.map((scale) => `${scale}×`).join(' | ')} | 16×/1× | status | flags |`,
    `| --- | --- | ${SCALES.map(() => '---:').join(' | ')} | ---: | --- | --- |`,
  ];
  for (const row of rows) lines.push(renderRow(row));
  return lines.join('\n');
}

export function renderRow(row: Row): string {
  const cells = SCALES.map((scale, index) => {
    const sample = row.samples[index];
    if (sample !== undefined) return formatMs(sample.ms);
    if (row.timedOutAt === scale) return 'timed out';
    return index < row.samples.length ? 'not run' : '';
  });
  const ratio = growth(row);
  // One status list per size, shown once when every size got the same.
  const perSize = row.samples.map((sample) => sample?.statuses.join('/') ?? '–');
  const statuses =
    new Set(perSize.filter((text) => text !== '–')).size <= 1
      ? (perSize.find((t) => t !== '–') ?? '')
      : perSize.join(' · ');
  return [
    `| ${row.name} (${row.what})`,
    TRANSPORT_LABELS[row.transport] ?? row.transport,
    ...cells,
    ratio === undefined || row.samples.length === 1 ? '' : `${ratio.estimated ? '≥ ' : ''}${ratio.ratio.toFixed(1)}`,
    row.transport === 'json-parse' ? '' : statuses,
    `${flags(row).join(', ')} |`,
  ].join(' | ');
}
