import { reflectMetadata } from '../metadata/reflect-metadata';
import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import {
  addIssue,
  ErrorCodes,
  issuesFull,
  MAX_LISTED_ISSUES,
  requestError,
  type IssueLocation,
  type ValidationIssues,
} from '../errors';
import { checkJsonBytes, scanJson, type JsonKeyLevel, type UnknownJsonKeys } from '../http/json-body';
import { createInstanceBuilder, MAX_TRANSFORMED_KEYS } from './dto-instance';
import { transformFacts } from '../metadata/dto-metadata';
import { createDtoPlan, type DtoLibraries } from './dto-plan';
import {
  createItemSamples,
  refuseFromItemBytes,
  refuseFromItems,
  SAMPLED_BODY_BYTES,
  type ItemSampler,
  type ItemValidator,
} from './dto-sample';
import { createDtoShape } from './dto-shape';
import { createUniqueArrayCheck, MAX_UNIQUE_ITEMS, type UniqueArrayCheck } from './dto-unique-arrays';
import type { Class } from '../metadata/metadata';

/** class-validator settings for DTOs; the defaults reject any property the DTO does not declare. */
export interface ValidationOptions {
  whitelist?: boolean;
  forbidNonWhitelisted?: boolean;
  forbidUnknownValues?: boolean;
  /** Extra class-validator options (groups, skipMissingProperties, …). */
  validator?: ClassValidator.ValidatorOptions;
  /**
   * Items an `@ArrayUnique()` array of a body may hold (default 1,000): class-validator compares
   * every pair, so the cost per request grows with the square of this number.
   */
  maxUniqueItems?: number;
  /**
   * Members one JSON object may hold in the body of a DTO class-transformer builds (`@Expose`,
   * `@Exclude`, `@Transform`, a discriminator; default 1,000): its unique-keys step compares
   * every pair.
   */
  maxTransformedKeys?: number;
}

/** The validator of one DTO at one location, compiled at boot. */
export interface DtoValidator extends ItemValidator {
  /** `validate` returns a promise: a constraint of the DTO (or of a nested one) is asynchronous. */
  async: boolean;
  /**
   * Refuses a JSON body from its bytes, before it is parsed, where the answer is known without
   * parsing it: more unknown keys than a problem lists, or as many problems in the first items
   * of a long array of nested DTOs (true when it did), or an object too wide for
   * class-transformer (it throws). Undefined where none applies: unknown keys are allowed or
   * cannot be told, and crest builds the instance itself.
   */
  screen: ((body: Buffer, issues: ValidationIssues) => boolean) | undefined;
}

interface Libraries {
  transformer: DtoLibraryExports['transformer'];
  validator: DtoLibraryExports['validator'];
  plan: DtoLibraries;
}
type DtoLibraryExports = typeof import('../metadata/dto-libraries');
let libraries: Libraries | undefined;

function allPropertiesAreStrings(dto: Class, libs: DtoLibraries): boolean {
  const metadatas = libs.validation.getTargetValidationMetadatas(dto, '', true, false, undefined);
  return metadatas.every(
    (metadata) => reflectMetadata.getMetadata('design:type', dto.prototype as object, metadata.propertyName) === String,
  );
}

// Loaded on first use so that an app without DTOs never pays for class-validator at cold start;
// dto-libraries.ts imports only the names crest uses, so that bundlers drop the rest.
function load(): Libraries {
  if (libraries !== undefined) return libraries;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { transformer, validator } = require('../metadata/dto-libraries') as DtoLibraryExports;
  return (libraries = {
    transformer,
    validator,
    plan: { validation: validator.getMetadataStorage(), transform: transformFacts },
  });
}

/**
 * Compiles the validator for one DTO at one location, once at boot. `fromStrings` turns on
 * class-transformer's implicit conversion, for query DTOs whose values all arrive as text.
 */
export function createDtoValidator(
  dto: Class,
  location: IssueLocation,
  options: ValidationOptions,
  fromStrings: boolean,
  compiled = new Map<Class, DtoValidator>(),
): DtoValidator {
  const { transformer, validator, plan: libs } = load();
  const { maxUniqueItems, maxTransformedKeys, validator: extraOptions } = options;
  const validatorOptions: ClassValidator.ValidatorOptions = {
    whitelist: options.whitelist ?? true,
    forbidNonWhitelisted: options.forbidNonWhitelisted ?? true,
    forbidUnknownValues: options.forbidUnknownValues ?? true,
    ...extraOptions,
  };
  // Checked once by createApp (whole numbers of at least 1).
  const uniqueItemsCap = maxUniqueItems ?? MAX_UNIQUE_ITEMS;
  const transformedKeysCap = maxTransformedKeys ?? MAX_TRANSFORMED_KEYS;
  const transformOptions: ClassTransformer.ClassTransformOptions = { enableImplicitConversion: fromStrings };
  const target = dto as ClassTransformer.ClassConstructor<object>;
  const shape = createDtoShape(dto, libs, validatorOptions);
  const forbidsUnknown = validatorOptions.whitelist === true && validatorOptions.forbidNonWhitelisted === true;
  const keys = forbidsUnknown ? shape.keys : null;
  // Query values are strings; with every property typed string, implicit conversion is the
  // identity, so the body's compiled plan applies unchanged.
  const plan =
    shape.async || (fromStrings && !allPropertiesAreStrings(dto, libs))
      ? undefined
      : createDtoPlan(dto, libs, validatorOptions);

  // Query values need class-transformer's implicit conversion; bodies mostly need only a copy.
  const build = fromStrings ? undefined : createInstanceBuilder(dto, libs);
  // Query arrays are bounded by the URL: bodies only.
  const uniqueArrays = fromStrings ? undefined : createUniqueArrayCheck(dto, libs, location, uniqueItemsCap);
  const transform = (plain: object): object => {
    // Before class-validator's @ArrayUnique() compares every pair of a long array's items.
    uniqueArrays?.check(plain);
    try {
      return build === undefined ? transformer.plainToInstance(target, plain, transformOptions) : build(plain);
    } catch (error) {
      // Both recurse into every nested value. Bodies nest at most MAX_JSON_DEPTH levels, but an
      // app already deep in its stack could still overflow: the client's input, so a 400.
      if (error instanceof RangeError) {
        throw requestError(ErrorCodes.INVALID_JSON, `The ${location} is nested too deeply.`);
      }
      throw error;
    }
  };
  // Query DTOs hold strings, never nested DTOs. Item validators are compiled below, after this
  // one is known, so that a recursive DTO finds itself.
  const samplers: ItemSampler[] = fromStrings
    ? []
    : shape.nested.map(({ property, type }) => ({ property, item: () => compiled.get(type)! }));
  const prepare = (plain: unknown, issues: ValidationIssues): object | undefined => {
    if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
      addIssue(issues, { in: location, path: '', code: 'type', message: `the ${location} must be a JSON object` });
      return undefined;
    }
    // More unknown keys than a problem lists: the answer is known, the libraries need not see them.
    if (keys !== null && refuseUnknownKeys(plain, keys, location, issues)) return undefined;
    return plain;
  };

  // class-transformer's unique-keys step costs keys² per object: the objects it builds from a body
  // are capped (query values are bounded by the URL, multipart fields by their count).
  const maxKeys = !fromStrings && build === undefined ? transformedKeysCap : undefined;
  // Items are sampled by their property's name: not where a key may reach another property.
  const screen =
    keys === null && maxKeys === undefined
      ? undefined
      : createScreen(
          keys,
          shape.async || shape.renamed ? [] : samplers,
          location,
          maxKeys,
          shape.renamed ? undefined : uniqueArrays,
        );

  let result: DtoValidator;
  if (shape.async) {
    result = {
      async: true,
      fast: false,
      screen,
      validate: async (plain, issues) => {
        const checked = prepare(plain, issues);
        if (checked === undefined) return undefined;
        const instance = transform(checked);
        collectIssues(await validator.validate(instance, validatorOptions), location, '', issues);
        return instance;
      },
    };
  } else {
    result = {
      async: false,
      fast: plan !== undefined,
      screen,
      validate: (plain, issues) => {
        // Fast path: a compiled check that only ever accepts what class-validator accepts.
        if (plan !== undefined && typeof plain === 'object' && plain !== null && !Array.isArray(plain)) {
          const instance = plan.create(plain);
          if (instance !== undefined) return instance;
        }
        const checked = prepare(plain, issues);
        if (checked === undefined) return undefined;
        if (samplers.length > 0 && refuseFromItems(checked, samplers, issues)) return undefined;
        const instance = transform(checked);
        collectIssues(validator.validateSync(instance, validatorOptions), location, '', issues);
        return instance;
      },
    };
  }
  compiled.set(dto, result);
  for (const { type } of shape.nested) {
    if (!fromStrings && !compiled.has(type)) createDtoValidator(type, location, options, false, compiled);
  }
  return result;
}

/**
 * {@link DtoValidator.screen}: unknown keys counted where `keys` tells them, items sampled
 * (`samplers`, only where the DTO validates synchronously), objects capped at `maxKeys`, the
 * DTO's own `@ArrayUnique()` arrays counted.
 */
function createScreen(
  keys: JsonKeyLevel | null,
  samplers: readonly ItemSampler[],
  location: IssueLocation,
  maxKeys: number | undefined,
  uniqueArrays: UniqueArrayCheck | undefined,
): DtoValidator['screen'] {
  const counted = uniqueArrays?.topLevel ?? [];
  return (body, issues) => {
    checkJsonBytes(body);
    // Keys are read (and items found) only where the scan knows the DTO's keys; a small body's
    // items are checked once it is parsed.
    const samples =
      keys === null || samplers.length + counted.length === 0 || body.length < SAMPLED_BODY_BYTES
        ? undefined
        : createItemSamples(samplers, counted);
    const unknown = scanJson(body, keys, MAX_LISTED_ISSUES, { samples, maxKeys });
    if (unknown === undefined) return false;
    for (const name of counted) {
      const sample = samples?.get(name);
      if (sample?.isArray === true) uniqueArrays!.refuseCount(sample.count, name);
    }
    // A large body's unknown keys are refused from its bytes, whatever their values hold: the
    // listed problems are then those keys alone (a small body's are listed among the others).
    const refuseFrom = body.length >= SAMPLED_BODY_BYTES ? 1 : MAX_LISTED_ISSUES + 1;
    if (addUnknownKeyIssues(unknown, location, issues, refuseFrom)) return true;
    return samples !== undefined && refuseFromItemBytes(body, samples, samplers, issues);
  };
}

/**
 * Lists the top-level keys of `plain` that `keys` does not declare, as class-validator's
 * whitelist would, when they are more than a problem lists; true when it did.
 */
function refuseUnknownKeys(
  plain: object,
  keys: JsonKeyLevel,
  location: IssueLocation,
  issues: ValidationIssues,
): boolean {
  const unknown: UnknownJsonKeys = { count: 0, first: [] };
  for (const key of Object.keys(plain)) {
    if (keys.keys.has(key)) continue;
    // As scanJson counts them: judged while they are listed.
    if (unknown.first.length < MAX_LISTED_ISSUES) {
      if (keys.undeclared !== undefined && !keys.undeclared(key)) continue;
      unknown.first.push({ parent: '', key });
    }
    unknown.count++;
  }
  return addUnknownKeyIssues(unknown, location, issues, MAX_LISTED_ISSUES + 1);
}

/** class-validator's own words for an object no DTO describes (`forbidUnknownValues`). */
const UNKNOWN_VALUE_MESSAGE = 'an unknown value was passed to the validate function';

/**
 * Adds the issues for unknown keys found by crest itself (the same code and message as
 * class-validator's whitelist) when there are at least `refuseFrom`; true when it did. Fewer
 * are left to class-validator, which reports them among the other problems.
 */
export function addUnknownKeyIssues(
  unknown: UnknownJsonKeys,
  location: IssueLocation,
  issues: ValidationIssues,
  refuseFrom: number,
): boolean {
  if (unknown.count < refuseFrom) return false;
  for (const { parent, key, unknownValue } of unknown.first) {
    addIssue(
      issues,
      unknownValue === true
        ? { in: location, path: parent, code: 'unknownValue', message: UNKNOWN_VALUE_MESSAGE }
        : {
            in: location,
            path: parent === '' ? key : `${parent}.${key}`,
            code: 'whitelistValidation',
            message: `property ${key} should not exist`,
          },
    );
  }
  issues.omitted = (issues.omitted ?? 0) + unknown.count - unknown.first.length;
  return true;
}

function collectIssues(
  errors: ClassValidator.ValidationError[],
  location: IssueLocation,
  parent: string,
  issues: ValidationIssues,
): void {
  for (const error of errors) {
    // class-validator names no property for a nested value it refuses whole (`unknownValue`).
    const property = error.property as string | undefined;
    const path =
      property === undefined || property === '' ? parent : parent === '' ? property : `${parent}.${property}`;
    if (error.constraints !== undefined) {
      for (const code in error.constraints) {
        // Past the listed ones only the count matters: no issue objects for them.
        if (issuesFull(issues)) issues.omitted = (issues.omitted ?? 0) + 1;
        else issues.push({ in: location, path, code, message: error.constraints[code]! });
      }
    }
    if (error.children && error.children.length > 0) collectIssues(error.children, location, path, issues);
  }
}
