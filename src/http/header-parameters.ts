/**
 * A header value with parameters, `form-data; name="doc"; filename*=UTF-8''a.csv` (RFC 9110
 * §5.6.6): the value before the first `;`, lower-case, and each parameter as written, its name
 * lower-case, a quoted-string unquoted. Parameters without `=` are dropped, as busboy drops them.
 */
export interface HeaderParameters {
  value: string;
  parameters: ReadonlyArray<readonly [name: string, value: string]>;
}

/*
 * Hand-written rather than busboy's parser: busboy folds `filename*` into `filename` (the last one
 * written wins), and crest must tell them apart (RFC 6266 §4.3). One pass, linear in the value.
 */
/** The ends of runs inside a quoted-string: its closing quote, or a backslash. */
const QUOTED_SPECIAL = /["\\]/g;

/** Parses `header`; undefined when a quoted-string is not closed. */
export function parseHeaderParameters(header: string): HeaderParameters | undefined {
  const first = header.indexOf(';');
  const value = (first === -1 ? header : header.slice(0, first)).trim().toLowerCase();
  const parameters: Array<readonly [string, string]> = [];
  let at = first;
  // The next `=`, kept across parameters without one (`a;;;;…;b=1`) so that each byte is searched
  // once; the header's length when there is none left.
  let equals = -1;
  while (at !== -1 && at < header.length) {
    // `at` is on a `;`: a parameter's name runs to its `=`.
    if (equals <= at) {
      equals = header.indexOf('=', at + 1);
      if (equals === -1) equals = header.length;
    }
    const next = header.indexOf(';', at + 1);
    if (equals === header.length || (next !== -1 && next < equals)) {
      at = next;
      continue;
    }
    const name = header
      .slice(at + 1, equals)
      .trim()
      .toLowerCase();
    let start = equals + 1;
    while (header.charCodeAt(start) === 32 || header.charCodeAt(start) === 9) start++;
    if (header.charCodeAt(start) !== 34 /* " */) {
      const end = header.indexOf(';', start);
      parameters.push([name, (end === -1 ? header.slice(start) : header.slice(start, end)).trim()]);
      at = end;
      continue;
    }
    let unquoted = '';
    let run = start + 1;
    let close = -1;
    for (QUOTED_SPECIAL.lastIndex = run; ;) {
      const found = QUOTED_SPECIAL.exec(header);
      if (found === null) return undefined;
      if (found[0] === '"') {
        close = found.index;
        break;
      }
      // RFC 9110 §5.6.4 quoted-pair, for `"` and `\` only: a Windows path keeps its separators
      // (`"C:\dir\a.csv"`, as old browsers sent it), so the directories can be dropped.
      const escaped = header[found.index + 1];
      if (escaped === '"' || escaped === '\\') {
        unquoted += header.slice(run, found.index) + escaped;
        run = found.index + 2;
        QUOTED_SPECIAL.lastIndex = run;
      }
    }
    parameters.push([name, unquoted + header.slice(run, close)]);
    at = header.indexOf(';', close + 1);
  }
  return { value, parameters };
}

/** The first parameter named `name` (lower-case), as busboy reads a boundary. */
export function parameterOf(header: HeaderParameters, name: string): string | undefined {
  return header.parameters.find(([key]) => key === name)?.[1];
}
