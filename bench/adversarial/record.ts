import { existsSync, readFileSync, writeFileSync } from 'node:fs';

// RESULTS.md is rendered by `npm run bench`, which keeps whatever stands between these markers.
export const SECTION_START = '<!-- adversarial:start -->';
export const SECTION_END = '<!-- adversarial:end -->';

/** Puts `section` between the markers in `path` (appended the first time). */
export function recordSection(path: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const block = `${SECTION_START}\n${section.trim()}\n${SECTION_END}`;
  const start = current.indexOf(SECTION_START);
  const end = current.indexOf(SECTION_END);
  writeFileSync(
    path,
    start === -1 || end === -1
      ? `${current.trimEnd()}\n\n${block}\n`
      : `${current.slice(0, start)}${block}${current.slice(end + SECTION_END.length)}`,
  );
}
