import {
  ARRAY_RULES,
  declaredProperties,
  isList,
  isNested,
  typeDecorations,
  type DeclaredProperty,
  type PropertyRule,
} from '../metadata/dto-metadata';
import type { Class } from '../metadata/metadata';
import type { SchemaObject } from './types';

/** The schema of a value of a built-in type, or undefined for a class crest must describe. */
export function builtinSchema(type: unknown): SchemaObject | undefined {
  if (type === String) return { type: 'string' };
  if (type === Number) return { type: 'number' };
  if (type === Boolean) return { type: 'boolean' };
  if (type === Date) return { type: 'string', format: 'date-time' };
  if (type === Array) return { type: 'array' };
  if (type === Object) return {};
  if (type === Buffer || type === Uint8Array) return { type: 'string', format: 'binary' };
  return undefined;
}

/** A DTO as an object schema, and its properties, for query DTOs expanded into parameters. */
export interface ObjectShape {
  properties: Record<string, SchemaObject>;
  required: string[];
  /** `@IsOptional` properties: class-validator lets `null` through, and the serializer writes it. */
  nullable: string[];
}

/**
 * Turns class-validator DTOs into JSON Schemas in `schemas` (`components.schemas`), each DTO
 * once, referenced by `$ref`. Reads the decorators' metadata; validates nothing.
 */
export class SchemaRegistry {
  private readonly names = new Map<Function, string>();
  private readonly shapes = new Map<Function, ObjectShape>();

  /** `schemas` may hold entries already (crest's problem schemas); DTO names avoid them. */
  constructor(readonly schemas: Record<string, SchemaObject> = {}) {}

  /** The schema for a type hint: a built-in, `[Type]` for a list, or a DTO class (by `$ref`). */
  schemaFor(type: unknown): SchemaObject {
    if (Array.isArray(type)) return { type: 'array', items: this.schemaFor(type[0]) };
    const builtin = builtinSchema(type);
    if (builtin !== undefined) return builtin;
    if (typeof type !== 'function') return {};
    return { $ref: `#/components/schemas/${this.register(type)}` };
  }

  /** The properties of a DTO, each with its schema, and which are required. */
  shapeOf(dto: Class): ObjectShape {
    let shape = this.shapes.get(dto);
    if (shape === undefined) {
      shape = { properties: {}, required: [], nullable: [] };
      // Stored before the properties are read, so that a DTO that contains itself terminates.
      this.shapes.set(dto, shape);
      const properties = declaredProperties(dto);
      const typeDecorated = typeDecorations(
        dto,
        properties.map((property) => property.name),
      );
      for (const property of properties) {
        shape.properties[property.name] = this.propertySchema(property, typeDecorated.get(property.name));
        if (isRequired(property.rules)) shape.required.push(property.name);
        if (isNullable(property.rules)) shape.nullable.push(property.name);
      }
    }
    return shape;
  }

  private register(dto: Function): string {
    const known = this.names.get(dto);
    if (known !== undefined) return known;
    const base = (dto.name || 'Anonymous').replace(/[^A-Za-z0-9._-]/g, '_');
    let name = base;
    // Two different classes with one name (in two modules) get distinct entries.
    for (let n = 2; this.schemas[name] !== undefined; n++) name = `${base}${n}`;
    this.names.set(dto, name);
    const schema: SchemaObject = { type: 'object' };
    this.schemas[name] = schema;
    const shape = this.shapeOf(dto as Class);
    // A body or an answer can hold `null` where a query string cannot: only here is it admitted.
    schema.properties = Object.fromEntries(
      Object.entries(shape.properties).map(([name, property]) => [
        name,
        shape.nullable.includes(name) ? orNull(property) : property,
      ]),
    );
    if (shape.required.length > 0) schema.required = shape.required;
    return name;
  }

  /** `declared` is the property's `@Type`, if any. */
  private propertySchema(property: DeclaredProperty, declared: Function | undefined): SchemaObject {
    const { designType } = property;
    const list = isList(property);
    const nested = isNested(property);
    const outer: SchemaObject = {};
    const inner: SchemaObject = {};
    for (const meta of property.rules) {
      // `each: true` rules apply to the elements; array rules to the list itself.
      const target = list && (meta.each || !ARRAY_RULES.has(meta.name ?? '')) ? inner : outer;
      applyRule(target, meta);
    }
    if (list) {
      outer.type = 'array';
      const element = declared ?? (nested ? undefined : designType === Array ? undefined : designType);
      return typeFirst({ ...outer, items: typeFirst(this.withType(inner, element)) });
    }
    return typeFirst(this.withType(outer, declared ?? designType));
  }

  /** Completes a schema built from rules with the property's declared type, when no rule gave one. */
  private withType(schema: SchemaObject, type: unknown): SchemaObject {
    if (schema.type !== undefined || schema.enum !== undefined || schema.const !== undefined) return schema;
    if (type === undefined || type === Object) {
      // Matches, lengths and formats only ever pass strings (class-validator checks the type first).
      const stringRules = schema.pattern ?? schema.minLength ?? schema.maxLength ?? schema.format;
      return stringRules === undefined ? schema : { type: 'string', ...schema };
    }
    const typed = this.schemaFor(type);
    if (typed.$ref !== undefined) return Object.keys(schema).length === 0 ? typed : { allOf: [typed], ...schema };
    const merged = { ...typed, ...schema };
    // IsNotEmpty on a number or a date: its minLength would only confuse a reader.
    if (merged.type !== 'string' && schema.minLength === 1) delete merged.minLength;
    return merged;
  }
}

/**
 * The schema admitting `null` too, as JSON Schema 2020-12 (OpenAPI 3.1) says it: `type: [T,
 * "null"]`, or `anyOf` beside a `$ref`. A schema without a type admits `null` already.
 */
export function orNull(schema: SchemaObject): SchemaObject {
  if (schema.$ref !== undefined || schema.allOf !== undefined || schema.const !== undefined) {
    return { anyOf: [schema, { type: 'null' }] };
  }
  if (schema.type === undefined) return schema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable: SchemaObject = { ...schema, type: types.includes('null') ? types : [...types, 'null'] };
  if (schema.enum !== undefined && !schema.enum.includes(null)) nullable.enum = [...schema.enum, null];
  return nullable;
}

/** `type` and `format` first, where a reader of the JSON looks for them (rules add keys bottom-up). */
function typeFirst(schema: SchemaObject): SchemaObject {
  const { type, format, ...rest } = schema;
  return { ...(type === undefined ? {} : { type }), ...(format === undefined ? {} : { format }), ...rest };
}

function isRequired(metas: readonly PropertyRule[]): boolean {
  if (metas.some((meta) => meta.type === 'isDefined')) return true;
  // IsOptional and ValidateIf both let an absent property through.
  return !metas.some((meta) => meta.type === 'conditionalValidation');
}

/** `IsOptional` passes `null` as well as `undefined`, unless `IsDefined` refuses both. */
function isNullable(metas: readonly PropertyRule[]): boolean {
  return metas.some((meta) => meta.name === 'isOptional') && !metas.some((meta) => meta.type === 'isDefined');
}

const FORMATS: Record<string, string> = {
  isEmail: 'email',
  isUuid: 'uuid',
  isDateString: 'date-time',
  isIso8601: 'date-time',
  isRFC3339: 'date-time',
  isUrl: 'uri',
  isFqdn: 'hostname',
  isDate: 'date-time',
};

/** Adds what one class-validator rule says about a value to its schema. */
function applyRule(schema: SchemaObject, meta: PropertyRule): void {
  const [first, second] = (meta.constraints ?? []) as unknown[];
  const name = meta.name ?? '';
  const format = FORMATS[name];
  if (format !== undefined) {
    schema.type = 'string';
    schema.format = format;
    return;
  }
  switch (name) {
    case 'isString':
      schema.type = 'string';
      break;
    case 'isNumber':
    case 'isNumberString':
      schema.type = name === 'isNumber' ? 'number' : 'string';
      break;
    case 'isInt':
      schema.type = 'integer';
      break;
    case 'isBoolean':
      schema.type = 'boolean';
      break;
    case 'isObject':
    case 'isNotEmptyObject':
      schema.type = 'object';
      break;
    case 'isArray':
      schema.type = 'array';
      break;
    case 'isBooleanString':
      schema.type = 'string';
      schema.enum = ['true', 'false', '1', '0'];
      break;
    case 'isEnum':
      setEnum(schema, Array.isArray(second) ? second : enumValues(first));
      break;
    case 'isIn':
      setEnum(schema, Array.isArray(first) ? first : []);
      break;
    case 'equals':
      schema.const = first;
      break;
    case 'isIp':
      schema.type = 'string';
      if (String(first) === '4' || String(first) === '6') schema.format = `ipv${String(first)}`;
      break;
    case 'isMongoId':
      schema.type = 'string';
      schema.pattern = '^[0-9a-fA-F]{24}$';
      break;
    case 'min':
      schema.minimum = Number(first);
      break;
    case 'max':
      schema.maximum = Number(first);
      break;
    case 'isPositive':
      schema.exclusiveMinimum = 0;
      break;
    case 'isNegative':
      schema.exclusiveMaximum = 0;
      break;
    case 'isDivisibleBy':
      schema.multipleOf = Number(first);
      break;
    case 'isLatitude':
    case 'isLongitude':
      schema.type = 'number';
      schema.minimum = name === 'isLatitude' ? -90 : -180;
      schema.maximum = name === 'isLatitude' ? 90 : 180;
      break;
    case 'minLength':
      schema.minLength = Number(first);
      break;
    case 'maxLength':
      schema.maxLength = Number(first);
      break;
    case 'isLength':
      schema.minLength = Number(first);
      if (typeof second === 'number') schema.maxLength = second;
      break;
    case 'isNotEmpty':
      // Not '' (nor null/undefined); for a string that is a minimum length.
      schema.minLength ??= 1;
      break;
    case 'matches':
      // The flags of a RegExp have no JSON Schema equivalent; the source is what tools can check.
      schema.pattern = first instanceof RegExp ? first.source : String(first);
      break;
    case 'arrayMinSize':
      schema.minItems = Number(first);
      break;
    case 'arrayMaxSize':
      schema.maxItems = Number(first);
      break;
    case 'arrayNotEmpty':
      schema.minItems ??= 1;
      break;
    case 'arrayUnique':
      schema.uniqueItems = true;
      break;
  }
}

function setEnum(schema: SchemaObject, values: unknown[]): void {
  schema.enum = values;
  if (values.length > 0 && values.every((value) => typeof value === 'string')) schema.type = 'string';
  else if (values.length > 0 && values.every((value) => typeof value === 'number')) schema.type = 'number';
}

/** The values of a TypeScript enum object, without the reverse entries of numeric members. */
function enumValues(entity: unknown): unknown[] {
  if (entity === null || typeof entity !== 'object') return [];
  return Object.entries(entity)
    .filter(([key]) => Number.isNaN(Number.parseInt(key, 10)))
    .map(([, value]) => value as unknown);
}
