import { ErrorCodes, requestError, type IssueLocation } from '../errors';
import type { Class } from '../metadata/metadata';
import type { DtoLibraries } from './dto-plan';

/**
 * How many items an array checked by class-validator's `@ArrayUnique()` may hold. class-validator
 * 0.14 tests it with `array.filter((a, i, c) => c.indexOf(a) === i)`, items² comparisons for
 * distinct items: 40,000 took 0.5 s, and a 6 MB body of numbers (800,000) would take minutes, on
 * valid bodies too. Its items can only be told apart by its own test (an `identifier` function is
 * kept in a closure crest cannot see), so a cap is what bounds it: at most this many comparisons
 * per item. The default of `validation.maxUniqueItems`.
 */
export const MAX_UNIQUE_ITEMS = 1000;

interface UniqueArrays {
  /** The DTO's properties with `@ArrayUnique()`. */
  unique: string[];
  /** Its properties holding nested DTOs (or arrays of them) that have some, at any depth. */
  nested: Map<string, UniqueArrays>;
}

/** Refuses a body where an `@ArrayUnique()` array is too long. */
export interface UniqueArrayCheck {
  /** The DTO's own `@ArrayUnique()` properties: a JSON body's scan counts their items before parsing. */
  topLevel: readonly string[];
  /** Throws the 400 for an array of `count` items at `path` when they are too many. */
  refuseCount(count: number, path: string): void;
  /** Checks a plain value at every depth, before validation. */
  check(plain: object): void;
}

/**
 * The check for a DTO and its nested DTOs, read from their class-validator rules at boot;
 * undefined where none has `@ArrayUnique()`.
 */
export function createUniqueArrayCheck(
  dto: Class,
  libraries: DtoLibraries,
  location: IssueLocation,
  maxItems: number,
): UniqueArrayCheck | undefined {
  const levels = new Map<Class, UniqueArrays | null>();
  const visit = (type: Class): UniqueArrays | null => {
    if (levels.has(type)) return levels.get(type)!;
    // A recursive DTO finds itself, filled in below.
    const level: UniqueArrays = { unique: [], nested: new Map() };
    levels.set(type, level);
    const metadatas = libraries.validation.getTargetValidationMetadatas(type, '', true, false, undefined);
    const names = [...new Set(metadatas.map((metadata) => metadata.propertyName))];
    for (const metadata of metadatas) {
      if (metadata.name === 'arrayUnique' && !level.unique.includes(metadata.propertyName)) {
        level.unique.push(metadata.propertyName);
      }
    }
    for (const [name, nested] of libraries.transform.nestedDtoTypes(type, names).classes) {
      const nestedLevel = visit(nested);
      if (nestedLevel !== null) level.nested.set(name, nestedLevel);
    }
    const found = level.unique.length > 0 || level.nested.size > 0 ? level : null;
    levels.set(type, found);
    return found;
  };
  const root = visit(dto);
  if (root === null) return undefined;
  const refuse = (path: string): never => {
    throw requestError(
      ErrorCodes.TOO_MANY_ITEMS,
      `The ${location} has more than ${maxItems} items in ${path.slice(0, 200)}, which must be unique.`,
    );
  };
  return {
    topLevel: root.unique,
    refuseCount: (count, path) => {
      if (count > maxItems) refuse(path);
    },
    check: (plain) => {
      const path = longUniqueArray(plain, root, 0, maxItems);
      if (path !== undefined) refuse(path);
    },
  };
}

/** The dotted path of the first `@ArrayUnique()` array over the cap in `value`, or undefined. */
function longUniqueArray(value: unknown, level: UniqueArrays, depth: number, maxItems: number): string | undefined {
  // JSON bodies nest at most 512 levels (json-body.ts); a value that nests deeper is not JSON.
  if (typeof value !== 'object' || value === null || depth > 512) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = longUniqueArray(value[index], level, depth + 1, maxItems);
      if (found !== undefined) return `${index}.${found}`;
    }
    return undefined;
  }
  const source = value as Record<string, unknown>;
  for (const name of level.unique) {
    const items = source[name];
    if (Array.isArray(items) && items.length > maxItems) return name;
  }
  for (const [name, nested] of level.nested) {
    const found = longUniqueArray(source[name], nested, depth + 1, maxItems);
    if (found !== undefined) return `${name}.${found}`;
  }
  return undefined;
}
