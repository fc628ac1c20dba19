import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import { ErrorCodes, HttpError, type IssueLocation, type ValidationIssue } from '../errors';
import { copiesAsIs, typeDecorations } from './dto-metadata';
import { createDtoPlan, type DtoLibraries } from './dto-plan';
import type { Class } from './metadata';

/** class-validator settings for DTOs; the defaults reject any property the DTO does not declare. */
export interface ValidationOptions {
  whitelist?: boolean;
  forbidNonWhitelisted?: boolean;
  forbidUnknownValues?: boolean;
  /** Extra class-validator options (groups, skipMissingProperties, …). */
  validator?: ClassValidator.ValidatorOptions;
}

/** Validates a plain value into a DTO instance, pushing problems onto `issues`. */
export type DtoValidator = (plain: unknown, issues: ValidationIssue[]) => unknown;

type Libraries = typeof import('./dto-libraries');
let libraries: Libraries | undefined;

function allPropertiesAreStrings(dto: Class, libs: DtoLibraries): boolean {
  const metadatas = libs.validation.getTargetValidationMetadatas(dto, '', true, false, undefined);
  return metadatas.every(
    (metadata) => Reflect.getMetadata('design:type', dto.prototype as object, metadata.propertyName) === String,
  );
}

function planLibraries(): DtoLibraries {
  const { validator } = load();
  return { validation: validator.getMetadataStorage(), transform: { typeDecorations, copiesAsIs } };
}

// Loaded on first use so that an app without DTOs never pays for class-validator at cold start;
// dto-libraries.ts imports only the names crest uses, so that bundlers drop the rest.
function load(): Libraries {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (libraries ??= require('./dto-libraries') as Libraries);
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
): DtoValidator {
  const { transformer, validator } = load();
  const validatorOptions: ClassValidator.ValidatorOptions = {
    whitelist: options.whitelist ?? true,
    forbidNonWhitelisted: options.forbidNonWhitelisted ?? true,
    forbidUnknownValues: options.forbidUnknownValues ?? true,
    ...options.validator,
  };
  const transformOptions: ClassTransformer.ClassTransformOptions = { enableImplicitConversion: fromStrings };
  const target = dto as ClassTransformer.ClassConstructor<object>;
  const libs = planLibraries();
  // Query values are strings; with every property typed string, implicit conversion is the
  // identity, so the body's compiled plan applies unchanged.
  const plan =
    fromStrings && !allPropertiesAreStrings(dto, libs) ? undefined : createDtoPlan(dto, libs, validatorOptions);
  return (plain, issues) => {
    // Fast path: a compiled check that only ever accepts what class-validator accepts.
    if (plan !== undefined && typeof plain === 'object' && plain !== null && !Array.isArray(plain)) {
      const instance = plan.create(plain);
      if (instance !== undefined) return instance;
    }
    if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
      issues.push({ in: location, path: '', code: 'type', message: `the ${location} must be a JSON object` });
      return undefined;
    }
    let instance: object;
    let errors: ClassValidator.ValidationError[];
    try {
      instance = transformer.plainToInstance(target, plain, transformOptions);
      errors = validator.validateSync(instance, validatorOptions);
    } catch (error) {
      // class-transformer recurses into every nested value: JSON nested thousands deep
      // overflows the stack. That is the client's input, so a 400, not a 500.
      if (error instanceof RangeError) {
        throw new HttpError(400, `The ${location} is nested too deeply.`, { code: ErrorCodes.INVALID_JSON });
      }
      throw error;
    }
    if (errors.length > 0) collectIssues(errors, location, '', issues);
    return instance;
  };
}

function collectIssues(
  errors: ClassValidator.ValidationError[],
  location: IssueLocation,
  parent: string,
  issues: ValidationIssue[],
): void {
  for (const error of errors) {
    const path = parent === '' ? error.property : `${parent}.${error.property}`;
    for (const [code, message] of Object.entries(error.constraints ?? {})) {
      issues.push({ in: location, path, code, message });
    }
    if (error.children && error.children.length > 0) collectIssues(error.children, location, path, issues);
  }
}
