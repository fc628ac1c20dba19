/** A find-my-way route path as an OpenAPI path template, with what it says about its parameters. */
export interface PathTemplate {
  /** `/users/{id}`: `:id` → `{id}`, `*` → `{wildcard}`, `::` → `:`. */
  template: string;
  /** Each parameter of the path, in order, with the JSON Schema `pattern` of a regex constraint. */
  params: Array<{ name: string; template: string; pattern?: string; wildcard: boolean }>;
}

/** The name a find-my-way wildcard (`*`, bound with `@Param('*')`) gets in the template. */
export const WILDCARD_NAME = 'wildcard';

/**
 * Converts a find-my-way pattern: `/files/:name.:ext`, `/users/:id(^\\d+)`, `/static/*`.
 * find-my-way anchors a regex constraint to the whole parameter, so the pattern is anchored too.
 */
export function toPathTemplate(pattern: string): PathTemplate {
  let template = '';
  const params: PathTemplate['params'] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      params.push({ name: '*', template: WILDCARD_NAME, wildcard: true });
      template += `{${WILDCARD_NAME}}`;
    } else if (char === ':' && pattern[i + 1] === ':') {
      template += ':';
      i++;
    } else if (char === ':') {
      let end = i + 1;
      while (end < pattern.length && /[\w$]/.test(pattern[end]!)) end++;
      const name = pattern.slice(i + 1, end);
      let regex: string | undefined;
      if (pattern[end] === '(') {
        const close = closingParen(pattern, end);
        regex = pattern.slice(end + 1, close);
        end = close + 1;
      }
      params.push({ name, template: name, pattern: regex === undefined ? undefined : anchor(regex), wildcard: false });
      template += `{${name}}`;
      i = end - 1;
    } else {
      template += char;
    }
  }
  return { template, params };
}

function anchor(regex: string): string {
  const body = regex.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  return `^(?:${body})$`;
}

/**
 * Index of the `)` closing the regex group that opens at `start` (escapes and nesting aware), or
 * the pattern's length when it is never closed.
 */
function closingParen(pattern: string, start: number): number {
  let depth = 0;
  for (let i = start; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return pattern.length;
}
