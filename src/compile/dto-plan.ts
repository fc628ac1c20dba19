import type * as ClassValidator from 'class-validator';
import type { DiscriminatedType, NestedDtoTypes, PlainKeys } from '../metadata/dto-metadata';
import type { Class } from '../metadata/metadata';

/**
 * A DTO compiled at boot into a plain-JavaScript fast path for the common case: valid input.
 *
 * `create` returns the DTO instance when it can prove the input valid, or `undefined` when it
 * cannot — invalid input, or anything it is unsure about. The caller then runs class-transformer
 * and class-validator as usual, which produce the exact error messages. The fast path only ever
 * says "valid" when class-validator would, so results never differ; it only skips work.
 */
export interface DtoPlan {
  create(plain: object): object | undefined;
}

type Check = (value: unknown) => boolean;

interface PropertyPlan {
  name: string;
  optional: boolean;
  checks: Check[];
  nested: DtoPlan | undefined;
}

/** What the plan needs from the two libraries: their metadata, nothing at run time. */
export interface DtoLibraries {
  validation: ClassValidator.MetadataStorage;
  /** What class-transformer does with a DTO's properties (dto-metadata.ts reads it). */
  transform: TransformFacts;
}

/** What class-transformer does with a DTO's properties, as dto-metadata.ts observes it. */
export interface TransformFacts {
  /** The properties whose `@Type` gives one DTO class, and those it gives a class per value. */
  nestedDtoTypes(dto: Class, names: readonly string[]): NestedDtoTypes;
  /** Whether `plainToInstance` copies these properties' plain values, and undeclared keys, as they are. */
  copiesAsIs(dto: Class, names: readonly string[]): boolean;
  /** Whether `plainToInstance` keeps every key, these properties' and undeclared ones, under its own name. */
  keepsKeys(dto: Class, names: readonly string[]): boolean;
  /** Where it renames or drops keys: the plain keys reaching these properties, and which others it refuses. */
  plainKeys(dto: Class, names: readonly string[]): PlainKeys | undefined;
  /** What it builds for a discriminated value, by the name its `member` holds. */
  discriminatedTypes(
    dto: Class,
    property: string,
    member: string,
  ): (name: string | undefined) => DiscriminatedType | undefined;
}

// Each check mirrors class-validator's own test for the constraint, or is stricter (a string
// whose length class-validator counts differently is "unsure", not "valid").
// Surrogates and variation selectors, which validator.js does not count as characters.
// eslint-disable-next-line no-misleading-character-class
const UNCOUNTED_CHARS = /[\uD800-\uDFFF\uFE0E\uFE0F]/;
const length = (value: unknown): number | undefined =>
  typeof value === 'string' && !UNCOUNTED_CHARS.test(value) ? value.length : undefined;

const CHECKS: Record<string, (constraints: unknown[]) => Check | undefined> = {
  isString: () => (value) => typeof value === 'string',
  isInt: () => (value) => typeof value === 'number' && Number.isInteger(value),
  isNumber: ([options]) =>
    options === undefined ||
    Object.keys(options as object).every((key) => key === 'allowNaN' || key === 'allowInfinity')
      ? (value) => typeof value === 'number' && Number.isFinite(value)
      : undefined,
  isBoolean: () => (value) => typeof value === 'boolean',
  min: ([bound]) => (typeof bound === 'number' ? (value) => typeof value === 'number' && value >= bound : undefined),
  max: ([bound]) => (typeof bound === 'number' ? (value) => typeof value === 'number' && value <= bound : undefined),
  isPositive: () => (value) => typeof value === 'number' && value > 0,
  isNegative: () => (value) => typeof value === 'number' && value < 0,
  minLength: ([min]) => (typeof min === 'number' ? (value) => (length(value) ?? -1) >= min : undefined),
  maxLength: ([max]) => (typeof max === 'number' ? (value) => (length(value) ?? Infinity) <= max : undefined),
  isLength: ([min, max]) =>
    typeof min === 'number' && (max === undefined || typeof max === 'number')
      ? (value) => {
          const n = length(value);
          return n !== undefined && n >= min && (max === undefined || n <= max);
        }
      : undefined,
  isNotEmpty: () => (value) => value !== '' && value !== null && value !== undefined,
  isIn: ([values]) => (Array.isArray(values) ? (value) => values.some((candidate) => candidate === value) : undefined),
  isEnum: ([entity]) => {
    if (typeof entity !== 'object' || entity === null) return undefined;
    const values = Object.values(entity);
    return (value) => values.includes(value);
  },
  equals:
    ([expected]) =>
    (value) =>
      value === expected,
  // validator.js: a string pattern becomes `new RegExp(pattern, modifiers)`, then `str.match`.
  matches: ([pattern, modifiers]) => {
    if (!(pattern instanceof RegExp) && typeof pattern !== 'string') return undefined;
    const regex = pattern instanceof RegExp ? pattern : new RegExp(pattern, modifiers as string | undefined);
    return (value) => typeof value === 'string' && value.match(regex) !== null;
  },
  isArray: () => (value) => Array.isArray(value),
  arrayMinSize: ([min]) =>
    typeof min === 'number' ? (value) => Array.isArray(value) && value.length >= min : undefined,
  arrayMaxSize: ([max]) =>
    typeof max === 'number' ? (value) => Array.isArray(value) && value.length <= max : undefined,
};

const defined: Check = (value) => value !== undefined && value !== null;

/**
 * Compiles a body DTO, or returns undefined when anything about it (a validator the table does
 * not know, groups, class-transformer exposure rules, custom options) needs the full libraries.
 */
export function createDtoPlan(
  dto: Class,
  libraries: DtoLibraries,
  options: ClassValidator.ValidatorOptions,
  seen = new Map<Class, DtoPlan | undefined>(),
): DtoPlan | undefined {
  if (seen.has(dto)) return seen.get(dto);
  const known = new Set(['whitelist', 'forbidNonWhitelisted', 'forbidUnknownValues']);
  if (Object.keys(options).some((key) => !known.has(key) && (options as Record<string, unknown>)[key] !== undefined)) {
    return undefined;
  }
  const { transform } = libraries;
  // A self-referencing DTO compiles lazily through this indirection.
  const plan: { create: DtoPlan['create'] } = { create: () => undefined };
  seen.set(dto, plan);

  const metadatas = libraries.validation.getTargetValidationMetadatas(dto, '', true, false, undefined);
  const names = [...new Set(metadatas.map((metadata) => metadata.propertyName))].filter(
    (name) => !(name in Object.prototype),
  );
  const nestedTypes = transform.nestedDtoTypes(dto, names);
  // class-validator refuses an instance of a class it knows nothing about (unknownValue).
  if (metadatas.length === 0 && options.forbidUnknownValues !== false) return fail(seen, dto);
  const properties = new Map<string, PropertyPlan>();
  for (const metadata of metadatas) {
    const name = metadata.propertyName;
    if (name in Object.prototype || metadata.always || (metadata.groups?.length ?? 0) > 0) return fail(seen, dto);
    let property = properties.get(name);
    if (property === undefined) {
      property = { name, optional: false, checks: [], nested: undefined };
      properties.set(name, property);
    }
    if (metadata.type === 'conditionalValidation' && metadata.name === 'isOptional') {
      property.optional = true;
    } else if (metadata.type === 'isDefined') {
      property.checks.push(defined);
    } else if (metadata.type === 'nestedValidation') {
      // class-transformer builds the nested instance only from @Type (design:type is not enough),
      // and from a discriminated one a class per value.
      const type = nestedTypes.classes.get(name);
      if (type === undefined) return fail(seen, dto);
      property.nested = createDtoPlan(type, libraries, options, seen);
      if (property.nested === undefined) return fail(seen, dto);
    } else if (metadata.type === 'customValidation' && metadata.name !== undefined && metadata.name in CHECKS) {
      const check = CHECKS[metadata.name]!((metadata.constraints as unknown[] | undefined) ?? []);
      if (check === undefined) return fail(seen, dto);
      property.checks.push(metadata.each ? (value) => Array.isArray(value) && value.every(check) : check);
    } else {
      return fail(seen, dto);
    }
  }
  // Any other class-transformer rule (@Expose, @Exclude, @Transform, @Type on a plain value) needs the libraries.
  const plainNames = [...properties.values()].filter((property) => property.nested === undefined).map((p) => p.name);
  if (!transform.copiesAsIs(dto, plainNames)) return fail(seen, dto);
  plan.create = createInstance(dto, [...properties.values()], options);
  return plan;
}

function fail(seen: Map<Class, DtoPlan | undefined>, dto: Class): undefined {
  seen.set(dto, undefined);
  return undefined;
}

function createInstance(
  dto: Class,
  properties: PropertyPlan[],
  options: ClassValidator.ValidatorOptions,
): DtoPlan['create'] {
  const Dto = dto as unknown as new () => Record<string, unknown>;
  const byName = new Map(properties.map((property) => [property.name, property]));
  const required = properties.filter((property) => !property.optional).map((property) => property.name);
  const whitelist = options.whitelist === true;
  const forbidUnknown = whitelist && options.forbidNonWhitelisted === true;
  return (plain) => {
    const source = plain as Record<string, unknown>;
    // A required property the input lacks may still be valid through a field initializer:
    // leave that to the libraries.
    for (const name of required) if (!Object.prototype.hasOwnProperty.call(source, name)) return undefined;
    const instance = new Dto();
    // Keys in the input's order, as class-transformer assigns them.
    for (const key of Object.keys(source)) {
      const value = source[key];
      const property = byName.get(key);
      if (property === undefined) {
        if (forbidUnknown) return undefined;
        if (!whitelist) instance[key] = value;
        continue;
      }
      if (property.optional && (value === null || value === undefined)) {
        instance[key] = value;
        continue;
      }
      for (const check of property.checks) if (!check(value)) return undefined;
      if (property.nested === undefined) {
        instance[key] = value;
      } else {
        const nested = createNested(property.nested, value);
        if (nested === undefined) return undefined;
        instance[key] = nested;
      }
    }
    return instance;
  };
}

function createNested(plan: DtoPlan, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (!Array.isArray(value)) return plan.create(value);
  const items: unknown[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const created = plan.create(item);
    if (created === undefined) return undefined;
    items.push(created);
  }
  return items;
}
