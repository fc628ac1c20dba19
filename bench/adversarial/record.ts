import { recordSection as recordNamedSection } from '../src/recorded-sections';

/** Puts the hostile-input `section` between its markers in `path` (appended the first time); `npm run bench` keeps it. */
export function recordSection(path: string, section: string): void {
  recordNamedSection(path, 'adversarial', section);
}
