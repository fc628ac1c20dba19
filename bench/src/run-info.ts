import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** The 1, 5 and 15 minute load averages: other work on the machine, recorded with the results. */
export function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}

/** `git <args>` in the repository (this file always lies inside it), or `unknown` without git. */
export function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The commit crest's sources are at, `-dirty` when src/ has changes not yet committed. */
export function crestCommit(): string {
  const dirty = git(['status', '--porcelain', '--', ':/src']) === '' ? '' : '-dirty';
  return `${git(['rev-parse', '--short', 'HEAD'])}${dirty}`;
}

/** The CPU's make and the number of cores, e.g. `AMD EPYC × 2`. */
export function machine(): string {
  return `${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'unknown CPU'} × ${cpus().length}`;
}
