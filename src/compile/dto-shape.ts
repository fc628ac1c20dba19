import type * as ClassValidator from 'class-validator';
import type { JsonKeyLevel } from '../http/json-body';
import type { DtoLibraries } from './dto-plan';
import type { DiscriminatedType, PlainKeys } from '../metadata/dto-metadata';
import type { Class } from '../metadata/metadata';

/** What crest reads from a DTO's metadata at boot, besides its fast path. */
export interface DtoShape {
  /**
   * The keys the DTO declares, level by level through its nested DTOs: what class-validator's
   * whitelist allows. Where class-transformer renames or drops keys (`@Expose`, `@Exclude`), the
   * plain keys seen to reach the properties, and a level's `undeclared` judging the others; null
   * where it drops every undeclared key (a strategy), so that none is ever refused.
   */
  keys: JsonKeyLevel | null;
  /** Whether some level's keys are not the properties' names (class-transformer renames or drops some). */
  renamed: boolean;
  /**
   * Whether a constraint of the DTO or of a nested DTO is asynchronous (`async: true`), or a
   * nested `@Type` is only known per value: `validateSync` would skip such constraints.
   */
  async: boolean;
  /** The DTO's own properties holding a nested DTO (or an array of them) of one known class. */
  nested: Array<{ property: string; type: Class }>;
}

interface MutableKeyLevel extends JsonKeyLevel {
  readonly keys: Map<string, JsonKeyLevel | null>;
  readonly encoded: Array<{ key: string; bytes: Uint8Array }>;
}

function keyLevel(plain: PlainKeys | undefined): MutableKeyLevel {
  return plain === undefined
    ? { keys: new Map(), encoded: [] }
    : { keys: new Map(), encoded: [], undeclared: plain.undeclared, properties: plain.names };
}

function addKey(level: MutableKeyLevel, key: string, child: JsonKeyLevel | null): void {
  if (!level.keys.has(key)) level.encoded.push({ key, bytes: Buffer.from(key) });
  level.keys.set(key, child);
}

/** Reads the {@link DtoShape} of a DTO, following nested DTOs (self-references included). */
export function createDtoShape(
  dto: Class,
  libraries: DtoLibraries,
  options: ClassValidator.ValidatorOptions,
): DtoShape {
  const shape: DtoShape = { keys: null, renamed: false, async: false, nested: [] };
  const levels = new Map<Class, JsonKeyLevel | null>();
  // The metadata class-validator's whitelist reads for these options.
  const rulesOf = (type: Class) =>
    libraries.validation.getTargetValidationMetadatas(
      type,
      '',
      options.always ?? false,
      options.strictGroups ?? false,
      options.groups,
    );
  const visit = (type: Class): JsonKeyLevel | null => {
    if (levels.has(type)) return levels.get(type)!;
    const { transform } = libraries;
    const metadatas = rulesOf(type);
    const names = [...new Set(metadatas.map((metadata) => metadata.propertyName))];
    const nestedTypes = transform.nestedDtoTypes(type, names);
    // Where class-transformer renames or drops keys (`@Expose`, `@Exclude`), its plain keys.
    const keeps = transform.keepsKeys(type, names);
    const plain = keeps ? undefined : transform.plainKeys(type, names);
    if (plain !== undefined) shape.renamed = true;
    const level = keeps || plain !== undefined ? keyLevel(plain) : null;
    levels.set(type, level);
    // The level of each property's value.
    const children = new Map<string, JsonKeyLevel | null>();
    for (const metadata of metadatas) {
      const name = metadata.propertyName;
      let child: JsonKeyLevel | null = children.get(name) ?? null;
      if (metadata.type === 'nestedValidation') {
        const nested = nestedTypes.classes.get(name);
        const member = nestedTypes.perValue.get(name);
        if (member !== undefined) {
          // A @Type known only per value (a discriminator) may pick a class with async rules.
          shape.async = true;
          child = discriminatedLevel(type, name, member);
        } else if (nested !== undefined) {
          if (type === dto) shape.nested.push({ property: name, type: nested });
          child = visit(nested);
        }
        // Neither: no @Type, a plain object, which class-validator refuses.
      } else if (metadata.type === 'customValidation' && metadata.constraintCls !== undefined) {
        if (libraries.validation.getTargetValidatorConstraints(metadata.constraintCls).some(isAsyncConstraint)) {
          shape.async = true;
        }
      }
      children.set(name, child);
    }
    if (level !== null) {
      if (plain === undefined) for (const [name, child] of children) addKey(level, name, child);
      else for (const [key, name] of plain.names) addKey(level, key, children.get(name) ?? null);
    }
    return level;
  };
  /**
   * The level of a value whose class class-transformer picks by its `member`: resolved per name
   * when a body is scanned, and remembered.
   */
  const discriminatedLevel = (parent: Class, property: string, member: string): JsonKeyLevel => {
    const known = new Map<string, JsonKeyLevel | null>();
    const typeOf = libraries.transform.discriminatedTypes(parent, property, member);
    // An object without the member: one answer for every such object, asked once.
    let absent: { level: JsonKeyLevel | null } | undefined;
    const levelOf = (built: DiscriminatedType | undefined): JsonKeyLevel | null => {
      // A @Transform that throws, or no object: for the libraries to judge.
      if (built === undefined) return null;
      // An instance of a class with no rules: class-validator refuses it as an unknown value.
      if (rulesOf(built.type as Class).length === 0) {
        return options.forbidUnknownValues === true ? UNKNOWN_VALUE : null;
      }
      const level = visit(built.type as Class);
      if (level === null || built.keepsMember || level.keys.has(member)) return level;
      // class-transformer deletes the member: never an unknown key.
      const withMember = { ...level, keys: new Map(level.keys), encoded: [...level.encoded] };
      addKey(withMember, member, null);
      return withMember;
    };
    const resolve = (name: string | undefined): JsonKeyLevel | null => {
      if (name === undefined) return (absent ??= { level: levelOf(typeOf(undefined)) }).level;
      const level = levelOf(typeOf(name));
      // Names that match no subtype are remembered too, up to a bound: an attacker's are endless.
      if (known.size < REMEMBERED_NAMES) known.set(name, level);
      return level;
    };
    return {
      keys: new Map(),
      encoded: [],
      discriminated: { member, memberBytes: Buffer.from(member), known, resolve },
    };
  };
  shape.keys = visit(dto);
  return shape;
}

const UNKNOWN_VALUE: JsonKeyLevel = { keys: new Map(), encoded: [], unknownValue: true };
/** How many discriminator names a property's level remembers (its subtypes' come first, in use). */
const REMEMBERED_NAMES = 1_000;

// eslint-disable-next-line @typescript-eslint/require-await -- an async function's constructor, to recognise others
const AsyncFunction = (async () => undefined).constructor;

/**
 * A constraint declared `async: true`, or whose `validate` is an `async` method without it (an
 * easy slip): `validateSync` would drop the promise either, and let the value through.
 */
function isAsyncConstraint(
  constraint: ReturnType<ClassValidator.MetadataStorage['getTargetValidatorConstraints']>[number],
): boolean {
  if (constraint.async) return true;
  try {
    // From class-validator's container (`useContainer`), as validation would get it.
    return constraint.instance.validate instanceof AsyncFunction;
  } catch {
    return false;
  }
}
