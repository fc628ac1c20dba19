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
/** Parses `header`; undefined when a quoted-string is not closed. */
export function parseHeaderParameters(header: string): HeaderParameters | undefined {
  const first = header.indexOf(';');
  const value = (first === -1 ? header : header.slice(0, first)).trim().toLowerCase();
  const parameters: Array<readonly [string, string]> = [];
  let at = first;
  while (at !== -1 && at < header.length) {
    // `at` is on a `;`: a parameter's name runs to its `=`.
    const equals = header.indexOf('=', at + 1);
    const next = header.indexOf(';', at + 1);
    if (equals === -1 || (next !== -1 && next < equals)) {
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
    let i = start + 1;
    for (; i < header.length; i++) {
      const code = header.charCodeAt(i);
      if (code === 34 /* " */) break;
      // RFC 9110 §5.6.4 quoted-pair, for `"` and `\` only: a Windows path keeps its separators
      // (`"C:\dir\a.csv"`, as old browsers sent it), so the directories can be dropped.
      if (code === 92 /* \ */ && (header.charCodeAt(i + 1) === 34 || header.charCodeAt(i + 1) === 92)) i++;
      unquoted += header[i];
    }
    if (i >= header.length) return undefined;
    parameters.push([name, unquoted]);
    at = header.indexOf(';', i + 1);
  }
  return { value, parameters };
}

/** The first parameter named `name` (lower-case), as busboy reads a boundary. */
export function parameterOf(header: HeaderParameters, name: string): string | undefined {
  return header.parameters.find(([key]) => key === name)?.[1];
}
