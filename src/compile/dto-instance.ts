import { declaredProperties } from '../metadata/dto-metadata';
import type { DtoLibraries } from './dto-plan';
import type { Class } from '../metadata/metadata';

/** Builds the DTO instance class-validator checks from a plain JSON value. */
export type InstanceBuilder = (plain: object) => object;

/**
 * Builds instances as class-transformer's `plainToInstance` does for a DTO whose only
 * class-transformer rule is `@Type` on nested DTOs: a new instance, then each key of the input in
 * its order, nested DTOs built the same way, any other value kept. Undefined where the DTO (or a
 * nested one) has other rules (`@Expose`, `@Exclude`, `@Transform`, a `@Type` converting a plain
 * value, a discriminator): class-transformer itself builds those.
 *
 * Hand-written because class-transformer 0.5.1 makes every object's keys unique with
 * `keys.filter((k, i, s) => s.indexOf(k) === i)`: O(n²), 3 s for 80,000 keys, whether they are
 * unknown keys or the entries of a `Record` a DTO declares. This is linear. Values other than
 * nested DTOs are the input's own, as on the fast path, where class-transformer would copy them.
 */
export function createInstanceBuilder(dto: Class, libraries: DtoLibraries): InstanceBuilder | undefined {
  const builders = new Map<Class, InstanceBuilder | undefined>();
  const compile = (type: Class): InstanceBuilder | undefined => {
    if (builders.has(type)) return builders.get(type);
    // A recursive DTO finds itself through this indirection.
    let build: InstanceBuilder | undefined = (plain) => build!(plain);
    builders.set(type, build);
    const names = declaredProperties(type).map((property) => property.name);
    const { transform } = libraries;
    const nested = transform.nestedDtoTypes(type, names);
    const nestedBuilders = new Map<string, InstanceBuilder>();
    for (const [name, nestedType] of nested.classes) {
      const builder = compile(nestedType);
      if (builder === undefined) break;
      nestedBuilders.set(name, builder);
    }
    // Any other @Type (a discriminator, one converting a plain value), @Expose, @Exclude or
    // @Transform: class-transformer builds the instance.
    const plainNames = names.filter((name) => !nested.classes.has(name));
    build =
      nested.perValue.size > 0 || nestedBuilders.size < nested.classes.size || !transform.copiesAsIs(type, plainNames)
        ? undefined
        : instanceOf(type, nestedBuilders);
    builders.set(type, build);
    return build;
  };
  const built = compile(dto);
  // A nested DTO that turned out not to qualify after its parent compiled.
  return [...builders.values()].every((builder) => builder !== undefined) ? built : undefined;
}

function instanceOf(dto: Class, nested: ReadonlyMap<string, InstanceBuilder>): InstanceBuilder {
  const Dto = dto as unknown as new () => Record<string, unknown>;
  const prototype = dto.prototype as object;
  return (plain) => {
    const source = plain as Record<string, unknown>;
    const instance = new Dto();
    for (const key of Object.keys(source)) {
      // class-transformer's own exceptions: these keys, and the class's methods and getters.
      if (key === '__proto__' || key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if ((descriptor !== undefined && descriptor.set === undefined) || typeof instance[key] === 'function') continue;
      const builder = nested.get(key);
      instance[key] = builder === undefined ? source[key] : buildNested(builder, source[key]);
    }
    return instance;
  };
}

/** A nested DTO value: an object is built, each item of an array is, anything else is kept. */
function buildNested(build: InstanceBuilder, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => buildNested(build, item));
  return typeof value === 'object' && value !== null ? build(value) : value;
}

/**
 * How many keys one object of a JSON body may hold when class-transformer builds the DTO (one with
 * `@Expose`, `@Exclude`, `@Transform` or a discriminator, which {@link createInstanceBuilder}
 * leaves to it). Its unique-keys step costs keys² per object, so a cap per object keeps the
 * whole body's cost linear in its size (at most this many comparisons per key). crest cannot
 * tell such a DTO's keys (class-transformer keeps its renames private), so unknown keys cannot be
 * refused before it runs, as they are for other DTOs; a cap is what remains. Counted in the
 * body's bytes before it is parsed, a repeated name each time (RFC 8259 §4: names SHOULD be
 * unique), so that a refused body is never parsed.
 */
export const MAX_TRANSFORMED_KEYS = 1000;
