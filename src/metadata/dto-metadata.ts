import { reflectMetadata } from './reflect-metadata';
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
  for (const rule of storage.getTargetValidationMetadatas(dto, '', true, false, undefined)) {
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
    designType: reflectMetadata.getMetadata('design:type', dto.prototype as object, name),
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

const BUILTINS: ReadonlySet<unknown> = new Set([
  String,
  Number,
  Boolean,
  Date,
  Array,
  Object,
  Map,
  Set,
  Buffer,
  Uint8Array,
]);

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
  return observeTypes(dto, names).types;
}

/** The properties whose `@Type` gives one DTO class, and those whose class is only known per value. */
export interface NestedDtoTypes {
  /** `@Type(() => X)` with X a DTO class: the class class-transformer builds for every value. */
  classes: Map<string, Class>;
  /**
   * A `@Type` with a discriminator: class-transformer picks a subtype per value, so no one class
   * describes it at boot (its rules may differ, or be asynchronous). Each maps to the member of
   * the value that names its subtype.
   */
  perValue: Map<string, string>;
}

/** {@link typeDecorations} restricted to DTO classes, with the discriminated ones set apart. */
export function nestedDtoTypes(dto: Class, names: readonly string[]): NestedDtoTypes {
  const { types, perValue } = observeTypes(dto, names);
  const classes = new Map<string, Class>();
  for (const [name, type] of types) if (!perValue.has(name) && isDtoClass(type)) classes.set(name, type);
  return { classes, perValue };
}

function observeTypes(
  dto: Class,
  names: readonly string[],
): { types: Map<string, Function>; perValue: Map<string, string> } {
  const types = new Map<string, Function>();
  const perValue = new Map<string, string>();
  if (names.length === 0) return { types, perValue };
  let probed: Record<string, unknown>;
  try {
    probed = probe(dto, names, perValue);
  } catch {
    // A @Transform or a constructor that throws on the probe value: ask property by property.
    probed = {};
    for (const name of names) {
      try {
        probed[name] = probe(dto, [name], perValue)[name];
      } catch {
        // Unknown: the callers treat it as "no @Type".
      }
    }
  }
  for (const name of names) {
    const type = typeOfProbed(probed[name]);
    if (type !== undefined) types.set(name, type);
  }
  return { types, perValue };
}

function probe(dto: Class, names: readonly string[], perValue: Map<string, string>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  // A property `@Expose({ name })` renames is read from its plain name only.
  const written = writtenNames(dto, names);
  for (const name of names) {
    // class-transformer asks `property in value` of a value only to pick a discriminator's subtype
    // (TransformOperationExecutor, PLAIN_TO_CLASS): the one public sign of a discriminated @Type.
    plain[written.get(name) ?? name] = new Proxy(new Untyped(), {
      has(target, key) {
        if (typeof key === 'string') perValue.set(name, key);
        return Reflect.has(target, key);
      },
    });
  }
  return classTransformer().plainToInstance(dto as ClassTransformer.ClassConstructor<object>, plain) as Record<
    string,
    unknown
  >;
}

/** What class-transformer does with a discriminated value, as {@link discriminatedTypes} sees it. */
export interface DiscriminatedType {
  /** The class it builds: a subtype, or the `@Type`'s own class for a name none has. */
  type: Function;
  /** Whether the member naming the subtype stays in the instance (`keepDiscriminatorProperty`). */
  keepsMember: boolean;
}

/**
 * What class-transformer builds, at a property whose `@Type` has a discriminator, for a value
 * whose `member` (see {@link NestedDtoTypes.perValue}) is a given name (undefined: no such
 * member): one `plainToInstance` of the parent holding that member alone. The resolver answers
 * undefined where it throws or builds no object. The property's plain key is read once, here.
 */
export function discriminatedTypes(
  dto: Class,
  property: string,
  member: string,
): (name: string | undefined) => DiscriminatedType | undefined {
  const key = writtenNames(dto, [property]).get(property) ?? property;
  const target = dto as ClassTransformer.ClassConstructor<object>;
  return (name) => {
    try {
      const instance = classTransformer().plainToInstance(target, {
        [key]: name === undefined ? {} : { [member]: name },
      }) as Record<string, unknown>;
      const value = instance[property];
      const type = typeOfProbed(value);
      if (type === undefined || typeof value !== 'object' || value === null) return undefined;
      return { type, keepsMember: Object.hasOwn(value, member) };
    } catch {
      return undefined;
    }
  };
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
  const samples = sampleInstances(dto, names);
  return (
    samples !== undefined &&
    samples.every(({ sample, instance }) => [...names, UNDECLARED].every((key) => Object.is(instance[key], sample)))
  );
}

/**
 * Whether `plainToInstance(dto, plain)` keeps every key of the plain value under its own name,
 * these properties' and undeclared ones, whatever it does to the values: then the keys of the
 * plain value are the ones class-validator's whitelist judges. False where `@Expose`/`@Exclude`
 * (or a class-level strategy) renames or drops keys, and where a `@Transform` empties a property
 * for every sample (a key whose value never arrives cannot be told from a dropped one).
 */
export function keepsKeys(dto: Class, names: readonly string[]): boolean {
  const samples = sampleInstances(dto, names);
  return (
    samples !== undefined &&
    [...names, UNDECLARED].every((key) => samples.some(({ instance }) => instance[key] !== undefined))
  );
}

/** `plainToInstance(dto, plain)` of each sample set on these properties and an undeclared key. */
function sampleInstances(
  dto: Class,
  names: readonly string[],
): Array<{ sample: unknown; instance: Record<string, unknown> }> | undefined {
  const { plainToInstance } = classTransformer();
  try {
    return SAMPLES.map((sample) => {
      const plain: Record<string, unknown> = { [UNDECLARED]: sample };
      for (const name of names) plain[name] = sample;
      const instance = plainToInstance(dto as ClassTransformer.ClassConstructor<object>, plain) as Record<
        string,
        unknown
      >;
      return { sample, instance };
    });
  } catch {
    return undefined;
  }
}

/** The plain keys of a DTO class-transformer renames or drops keys of, as {@link plainKeys} tells them. */
export interface PlainKeys {
  /** Plain keys seen to reach one of the properties, and the property each reaches. */
  names: Map<string, string>;
  /**
   * Whether a plain key reaches the instance under its own name and is none of the properties:
   * class-validator's whitelist refuses it. False where it is dropped (`@Exclude`), renamed
   * (`@Expose({ name })`) or changed on the way, or where class-transformer throws.
   */
  undeclared: (key: string) => boolean;
}

/**
 * The plain key `instanceToPlain` writes each of these properties to, where it is not the
 * property's own name (`@Expose({ name })`): an instance holding a marker in each is written out.
 * Empty where a `@Transform` throws on the markers.
 */
function writtenNames(dto: Class, names: readonly string[]): Map<string, string> {
  const written = new Map<string, string>();
  try {
    const instance = Object.create(dto.prototype as object) as Record<string, unknown>;
    const markers = new Map(names.map((name, i) => [`\u0000crest ${i}`, name]));
    for (const [marker, name] of markers) instance[name] = marker;
    const plain = classTransformer().instanceToPlain(instance) as Record<string, unknown>;
    for (const key of Object.keys(plain)) {
      const name = markers.get(plain[key] as string);
      if (name !== undefined && name !== key) written.set(name, key);
    }
  } catch {
    // The properties' own names are all crest can go by.
  }
  return written;
}

/** Keys a plain object can hold that change what class-transformer does to it, never asked about. */
const NEVER_PROBED = new Set(['__proto__', 'constructor', 'prototype']);
/** How many keys {@link PlainKeys.undeclared} remembers per DTO: those it is not sure of. */
const REMEMBERED_KEYS = 1_000;

/**
 * The plain keys of a DTO whose keys class-transformer renames or drops (`@Expose`, `@Exclude`),
 * learnt through its public API as {@link typeDecorations} is: `instanceToPlain` of an instance
 * holding a marker in each property names the plain key each is written to, and
 * `plainToInstance` of each such key confirms the property it reaches. Undefined where
 * class-transformer drops undeclared keys (a strategy or `excludeExtraneousValues`): then no key
 * is ever refused, and crest need not tell them.
 *
 * This lets crest refuse a body's unknown keys before class-transformer copies their values
 * (which it does for any key, into a new object per level, comparing every pair of keys): a key
 * is judged by one `plainToInstance` of it alone. Keys it is not sure of (dropped, renamed,
 * changed) are remembered, a few per DTO; unknown ones are not, and are asked about only while a
 * problem's list is being filled.
 */
export function plainKeys(dto: Class, names: readonly string[]): PlainKeys | undefined {
  const { plainToInstance } = classTransformer();
  const target = dto as ClassTransformer.ClassConstructor<object>;
  const declared = new Set(names);
  const marker = '\u0000crest probe';
  const reached = (key: string): string[] => {
    const instance = plainToInstance(target, { [key]: marker }) as Record<string, unknown>;
    return Object.keys(instance).filter((property) => instance[property] === marker);
  };
  try {
    if (!reached(UNDECLARED).includes(UNDECLARED)) return undefined;
  } catch {
    return undefined;
  }
  const candidates = new Set([...names, ...writtenNames(dto, names).values()]);
  const known = new Map<string, string>();
  for (const key of candidates) {
    if (NEVER_PROBED.has(key)) continue;
    try {
      const properties = reached(key);
      if (properties.length === 1 && declared.has(properties[0]!)) known.set(key, properties[0]!);
    } catch {
      // Judged per request, like any other key.
    }
  }
  const unsure = new Set<string>();
  let reliable = true;
  return {
    names: known,
    undeclared: (key) => {
      if (!reliable || unsure.has(key) || NEVER_PROBED.has(key)) return false;
      let properties: string[];
      try {
        properties = reached(key);
      } catch {
        // A @Transform throwing for a key it is given alone: nothing is sure for this DTO.
        reliable = false;
        return false;
      }
      if (properties.length === 1 && properties[0] === key && !declared.has(key)) return true;
      if (unsure.size < REMEMBERED_KEYS) unsure.add(key);
      return false;
    },
  };
}

/** What class-transformer does with a DTO's properties, as the DTO plan, shape and instance builder need it. */
export const transformFacts = { nestedDtoTypes, copiesAsIs, keepsKeys, plainKeys, discriminatedTypes };
