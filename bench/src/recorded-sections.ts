import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/*
 * Sections of RESULTS.md written by a benchmark of their own (`npm run bench:adversarial --
 * --record`, `node .build/src/micro/compress.js --record`), each between `<!-- name:start -->`
 * and `<!-- name:end -->`. `npm run bench` renders the rest of the file anew and keeps them.
 */

const START = /<!-- ([\w-]+):start -->/g;

const markers = (name: string) => ({ start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` });

/** Puts `section` between the markers of `name` in the file at `path` (appended the first time). */
export function recordSection(path: string, name: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const { start: open, end: close } = markers(name);
  const block = `${open}\n${section.trim()}\n${close}`;
  const start = current.indexOf(open);
  const end = current.indexOf(close);
  writeFileSync(
    path,
    start === -1 || end === -1
      ? `${current.trimEnd()}\n\n${block}\n`
      : `${current.slice(0, start)}${block}${current.slice(end + close.length)}`,
  );
}

/** `markdown` followed by every recorded section of the file at `path`, in the file's order. */
export function keepRecordedSections(markdown: string, path: string): string {
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  let kept = markdown.trimEnd();
  for (const match of previous.matchAll(START)) {
    const { end: close } = markers(match[1]!);
    const end = previous.indexOf(close, match.index);
    if (end !== -1) kept += `\n\n${previous.slice(match.index, end + close.length)}`;
  }
  return `${kept}\n`;
}
