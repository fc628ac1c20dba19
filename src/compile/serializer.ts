import type { JsonSerializer } from '../http/response';
import {
  declaredProperties,
  isList,
  nestedClass,
  typeDecorations,
  type DeclaredProperty,
} from '../metadata/dto-metadata';
import type { Class } from '../metadata/metadata';

/** What a property is expected to hold: a hint for the fast path, never a check. */
export type Kind = 'string' | 'number' | 'boolean' | 'any' | { dto: Function } | { list: Kind };

const RULE_KINDS: Record<string, Kind> = {
  isString: 'string',
  isNumber: 'number',
  isInt: 'number',
  isBoolean: 'boolean',
};
const BUILTINS = new Map<unknown, Kind>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
]);

// JSON.stringify's output for a string needs no escapes when none of these occur (RFC 8259 §7;
// lone surrogates are escaped since ES2019). Long strings are left to JSON.stringify's own loop.
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const quote = (text: string): string =>
  text.length < 128 && !NEEDS_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text);

/**
 * Compiles the serializer of a `@ResponseSchema` DTO (or a list of them, `isArray`), as fastify
 * does from a response schema: the JSON holds the DTO's declared properties, in declared order,
 * and nothing else, so a field the schema does not document never leaks. Each value is written
 * exactly as `JSON.stringify` writes it; the declared type only picks a fast path, and a value
 * of another type takes `JSON.stringify`'s. `undefined` when the DTO declares nothing (no
 * class-validator rules): its responses stay plain `JSON.stringify`.
 */
export function compileSerializer(dto: Class, isArray: boolean): JsonSerializer | undefined {
  const properties = propertiesOf(dto);
  if (properties === undefined) return undefined;
  const functions: string[] = [];
  const compiled = new Map<Function, string>();

  const objectFunction = (type: Function, properties: Array<[string, Kind]>): string => {
    const index = functions.push('') - 1;
    const name = `o${index}`;
    compiled.set(type, name);
    const lines = properties.map(([key, kind]) => propertyCode(key, kind));
    functions[index] =
      `function ${name}(v) {\n` +
      `  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.toJSON === 'function') return J(v);\n` +
      `  let o = '', x, t;\n${lines.join('\n')}\n` +
      `  return o === '' ? '{}' : '{' + o.slice(1) + '}';\n}`;
    return name;
  };

  const dtoFunction = (type: Function): string | undefined => {
    const known = compiled.get(type);
    if (known !== undefined) return known;
    const properties = propertiesOf(type as Class);
    return properties === undefined ? undefined : objectFunction(type, properties);
  };

  const listFunction = (element: Kind): string => {
    const index = functions.push('') - 1;
    const name = `l${index}`;
    const item = valueCode(element, 'y');
    functions[index] =
      `function ${name}(a) {\n` +
      `  if (typeof a.toJSON === 'function') return J(a);\n` +
      `  let s = '[';\n` +
      `  for (let i = 0; i < a.length; i++) { const y = a[i]; if (i > 0) s += ','; s += ${item} ?? 'null'; }\n` +
      `  return s + ']';\n}`;
    return name;
  };

  /** An expression for `variable` that is its JSON text, or undefined where JSON.stringify omits it. */
  const valueCode = (kind: Kind, variable: string): string => {
    const generic = `J(${variable})`;
    if (kind === 'string') return `(typeof ${variable} === 'string' ? q(${variable}) : ${generic})`;
    if (kind === 'number')
      return `(typeof ${variable} === 'number' ? (F(${variable}) ? '' + ${variable} : 'null') : ${generic})`;
    if (kind === 'boolean') return `(typeof ${variable} === 'boolean' ? (${variable} ? 'true' : 'false') : ${generic})`;
    if (kind === 'any') return generic;
    if ('list' in kind) return `(Array.isArray(${variable}) ? ${listFunction(kind.list)}(${variable}) : ${generic})`;
    const object = dtoFunction(kind.dto);
    return object === undefined ? generic : `${object}(${variable})`;
  };

  const propertyCode = (key: string, kind: Kind): string =>
    `  x = v[${JSON.stringify(key)}];\n` +
    `  if (x !== undefined && (t = ${valueCode(kind, 'x')}) !== undefined) o += ${JSON.stringify(`,${JSON.stringify(key)}:`)} + t;`;

  // The DTO's own function first: a list of it (isArray) finds it compiled.
  const object = objectFunction(dto, properties);
  const top = isArray ? listFunction({ dto }) : object;
  // Compiled once at boot from metadata, as fastify and find-my-way do; keys enter only as JSON string literals.
  // Plain closures were 20-30 % slower on a 7-field DTO and on a list of 50 (bench/PROFILE.md, round 5;
  // bench/src/micro/serializer-forms.ts).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code generated from metadata, never from input
  const build = new Function('J', 'q', 'F', `'use strict';\n${functions.join('\n')}\nreturn ${top};`) as (
    stringify: typeof JSON.stringify,
    quoteString: typeof quote,
    isFinite: typeof Number.isFinite,
  ) => JsonSerializer;
  const serialize = build(JSON.stringify, quote, Number.isFinite);
  // An array handler result that is not an array (or a DTO result that is one) is JSON.stringify's.
  return isArray ? (value) => (Array.isArray(value) ? serialize(value) : JSON.stringify(value)) : serialize;
}

// Exported for the benchmark that builds the plain serializer form from the same list.
/** The DTO's properties with class-validator rules, in declaration order; undefined if none. */
export function propertiesOf(dto: Class): Array<[string, Kind]> | undefined {
  const properties = declaredProperties(dto);
  if (properties.length === 0) return undefined;
  // class-transformer is asked only about properties whose rules do not pin a JSON kind.
  const open = properties.filter((property) => isList(property) || ruledKind(property) === undefined);
  const typeDecorated = typeDecorations(
    dto,
    open.map((property) => property.name),
  );
  return properties.map((property) => [property.name, propertyKind(property, typeDecorated)]);
}

function ruledKind(property: DeclaredProperty): Kind | undefined {
  return property.rules.map((rule) => (rule.name === undefined ? undefined : RULE_KINDS[rule.name])).find(Boolean);
}

function propertyKind(property: DeclaredProperty, typeDecorated: ReadonlyMap<string, Function>): Kind {
  const nested = nestedClass(property, typeDecorated);
  if (isList(property)) {
    if (nested !== undefined) return { list: { dto: nested } };
    return { list: property.rules.some((rule) => rule.each) ? (ruledKind(property) ?? 'any') : 'any' };
  }
  const ruled = ruledKind(property);
  if (ruled !== undefined) return ruled;
  if (nested !== undefined) return { dto: nested };
  // Date, Object and the rest are JSON.stringify's (Date through its toJSON).
  return BUILTINS.get(typeDecorated.get(property.name) ?? property.designType) ?? 'any';
}
