import 'reflect-metadata';
import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import type { Class } from './metadata';

/**
 * What crest knows about a DTO class, read from what survives every build: class-validator's
 * rules and class-transformer's `@Type`, both recorded by decorators at run time. TypeScript's
 * emitted `design:type` is only a fallback: tsc and swc emit it, esbuild (AWS CDK, SAM) and tsx
 * do not. The serializer, the DTO plan and the OpenAPI schema all read DTOs through this module.
 */

/** One class-validator rule on a DTO property. */
export type PropertyRule = ReturnType<ClassValidator.MetadataStorage['getTargetValidationMetadatas']>[number];

/** A property a DTO declares, that is one with class-validator rules. */
export interface DeclaredProperty {
  name: string;
  rules: readonly PropertyRule[];
  /** `design:type` where the compiler emitted it; undefined in an esbuild bundle. */
  designType: unknown;
}

/**
 * The DTO's declared properties, its own in declaration order and then inherited ones; empty when
 * it has no class-validator rules. class-validator keeps its rules on the global object (its
 * `getMetadataStorage()`), so reading them there never loads the library for an app without DTOs.
 */
export function declaredProperties(dto: Class): DeclaredProperty[] {
  const storage = (globalThis as { classValidatorMetadataStorage?: ClassValidator.MetadataStorage })
    .classValidatorMetadataStorage;
  if (storage === undefined) return [];
  const byName = new Map<string, PropertyRule[]>();
  for (const rule of storage.getTargetValidationMetadatas(dto as Function, '', true, false, undefined)) {
    const name = rule.propertyName;
    // Class-level rules have no property; `__proto__` would read the prototype, not a field.
    if (typeof name !== 'string' || name === '' || name === '__proto__') continue;
    const rules = byName.get(name);
    if (rules === undefined) byName.set(name, [rule]);
    else rules.push(rule);
  }
  return [...byName].map(([name, rules]) => ({
    name,
    rules,
    designType: Reflect.getMetadata('design:type', dto.prototype as object, name) as unknown,
  }));
}

/** `@ValidateNested()`: the property holds a DTO (or, with `each`, a list of them). */
export function isNested(property: DeclaredProperty): boolean {
  return property.rules.some((rule) => rule.type === 'nestedValidation');
}

/** A list: an array design type, an `each` rule or an array rule. */
export function isList(property: DeclaredProperty): boolean {
  return property.designType === Array || property.rules.some((rule) => rule.each || ARRAY_RULES.has(rule.name ?? ''));
}

/** class-validator rules about an array as a whole (an `each` rule is about its elements). */
export const ARRAY_RULES: ReadonlySet<string> = new Set([
  'isArray',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayNotEmpty',
  'arrayUnique',
  'arrayContains',
]);

const BUILTINS: ReadonlySet<unknown> = new Set([String, Number, Boolean, Date, Array, Object, Buffer, Uint8Array]);

/** A class crest describes by its own declared properties: not a built-in type. */
export function isDtoClass(type: unknown): type is Class {
  return typeof type === 'function' && !BUILTINS.has(type);
}

/**
 * The nested class of a property: `@Type(() => X)` first (for a list, the element class), then
 * `design:type` for a single value. Undefined when neither survived the build.
 */
export function nestedClass(
  property: DeclaredProperty,
  typeDecorated: ReadonlyMap<string, Function>,
): Class | undefined {
  const declared = typeDecorated.get(property.name);
  if (declared !== undefined) return isDtoClass(declared) ? declared : undefined;
  return !isList(property) && isDtoClass(property.designType) ? property.designType : undefined;
}

let transformer: (typeof import('./dto-libraries'))['transformer'] | undefined;
function classTransformer(): (typeof import('./dto-libraries'))['transformer'] {
  // Loaded on first use, like the validators, through dto-libraries.ts: the names crest uses from
  // the package's public entry, so a bundle resolves them to the same module as the app's own
  // `import { Type } from 'class-transformer'` and keeps only what they need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (transformer ??= (require('./dto-libraries') as typeof import('./dto-libraries')).transformer);
}

/** A value no `@Type` leaves alone: class-transformer copies it into a new instance of its own class. */
class Untyped {}

/**
 * The types class-transformer's `@Type(() => X)` gives these properties of `dto`, by name.
 *
 * class-transformer keeps `@Type` in a storage it does not export (its maintainers call it
 * internal, typestack/class-transformer#487), so crest observes it through the public API instead:
 * `plainToInstance` turns a value of a property with `@Type(() => X)` into an X (or, for String,
 * Number and Boolean, into that primitive) and copies any other value as it is. One call per DTO,
 * at boot. The same probe sees the `@Type` of a subclass's parent and every build's copy of
 * class-transformer, including the ESM one a bundler picks with `mainFields: module`.
 */
export function typeDecorations(dto: Class, names: readonly string[]): Map<string, Function> {
  const types = new Map<string, Function>();
  if (names.length === 0) return types;
  let probed: Record<string, unknown>;
  try {
    probed = probe(dto, names);
  } catch {
    // A @Transform or a constructor that throws on the probe value: ask property by property.
    probed = {};
    for (const name of names) {
      try {
        probed[name] = probe(dto, [name])[name];
      } catch {
        // Unknown: the callers treat it as "no @Type".
      }
    }
  }
  for (const name of names) {
    const type = typeOfProbed(probed[name]);
    if (type !== undefined) types.set(name, type);
  }
  return types;
}

function probe(dto: Class, names: readonly string[]): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const name of names) plain[name] = new Untyped();
  return classTransformer().plainToInstance(dto as ClassTransformer.ClassConstructor<object>, plain) as Record<
    string,
    unknown
  >;
}

function typeOfProbed(value: unknown): Function | undefined {
  if (typeof value === 'string') return String;
  if (typeof value === 'number') return Number;
  if (typeof value === 'boolean') return Boolean;
  // An array comes from a @Transform (which runs after @Type), never from @Type of a single value.
  if (typeof value !== 'object' || value === null || value instanceof Untyped || Array.isArray(value)) return undefined;
  const type: unknown = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor;
  return typeof type === 'function' ? type : Object;
}

/**
 * Plain values class-transformer's `@Transform`s commonly change: whitespace and case (trim,
 * toLowerCase), the empty string (to undefined), numbers (rounding, to string), booleans.
 */
const SAMPLES: readonly unknown[] = [' Crest probe 1 ', '', 12.5, true];
/** A key no DTO declares, to see whether undeclared keys are copied too. */
const UNDECLARED = '\u0000crestUndeclared';

/**
 * Whether `plainToInstance(dto, plain)` copies each of these properties' plain values unchanged
 * and keeps undeclared keys, so that a plain copy gives the same instance: no `@Expose`/`@Exclude`
 * renaming or dropping a key, no `@Type` converting a value, no `@Transform` changing the samples.
 * Observed through the public API, as `typeDecorations` is; a `@Transform` that leaves every
 * sample as it is cannot be seen (it is the identity on them), which is the one thing a plain
 * copy can get wrong.
 */
export function copiesAsIs(dto: Class, names: readonly string[]): boolean {
  const { plainToInstance } = classTransformer();
  try {
    return SAMPLES.every((sample) => {
      const plain: Record<string, unknown> = { [UNDECLARED]: sample };
      for (const name of names) plain[name] = sample;
      const instance = plainToInstance(dto as ClassTransformer.ClassConstructor<object>, plain) as Record<
        string,
        unknown
      >;
      return Object.keys(plain).every((key) => Object.is(instance[key], sample));
    });
  } catch {
    return false;
  }
}
