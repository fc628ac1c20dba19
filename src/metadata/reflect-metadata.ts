/*
 * The Reflect metadata API (https://rbuckton.github.io/reflect-metadata/) that tsc's emitted code
 * (`__decorate` calls `Reflect.decorate`, `__metadata` calls `Reflect.metadata`), class-transformer's
 * `@Type` (`Reflect.getMetadata`) and crest use, put on the global `Reflect` when no polyfill is
 * there yet. Hand-written rather than importing reflect-metadata: that package is 14.5 kB of every
 * minified bundle and a module that runs at every cold start, while the API is a WeakMap, a prototype walk and tsc's own decorator loop.
 *
 * An app that imports reflect-metadata itself keeps it: before crest, this module installs
 * nothing; after crest, reflect-metadata 0.2 reads what was recorded here through its fallback
 * provider (its `CreateFallbackProvider`, made for earlier polyfills: the five own-metadata
 * functions below), and 0.1 leaves functions already present in place (its `makeExporter`).
 * test/routing/reflect-metadata.test.ts checks both orders with 0.2.
 */

type PropertyKey = string | symbol | undefined;

/** The functions crest and the libraries call, as the proposal names them. */
export interface ReflectMetadata {
  decorate(decorators: Function[], target: object, property?: PropertyKey, descriptor?: PropertyDescriptor): unknown;
  metadata(metadataKey: unknown, value: unknown): (target: object, property?: PropertyKey) => void;
  defineMetadata(metadataKey: unknown, value: unknown, target: object, property?: PropertyKey): void;
  hasMetadata(metadataKey: unknown, target: object, property?: PropertyKey): boolean;
  hasOwnMetadata(metadataKey: unknown, target: object, property?: PropertyKey): boolean;
  getMetadata(metadataKey: unknown, target: object, property?: PropertyKey): unknown;
  getOwnMetadata(metadataKey: unknown, target: object, property?: PropertyKey): unknown;
  getMetadataKeys(target: object, property?: PropertyKey): unknown[];
  getOwnMetadataKeys(target: object, property?: PropertyKey): unknown[];
  deleteMetadata(metadataKey: unknown, target: object, property?: PropertyKey): boolean;
}

/** target → property (undefined: the target itself) → metadata key → value. */
const records = new WeakMap<object, Map<PropertyKey, Map<unknown, unknown>>>();

function ownRecord(target: object, property: PropertyKey, create: boolean): Map<unknown, unknown> | undefined {
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) {
    throw new TypeError('Reflect metadata: the target must be an object');
  }
  let properties = records.get(target);
  if (properties === undefined) {
    if (!create) return undefined;
    properties = new Map();
    records.set(target, properties);
  }
  let record = properties.get(property);
  if (record === undefined && create) {
    record = new Map();
    properties.set(property, record);
  }
  return record;
}

/** The next object up a prototype chain, or null at its end. */
const up = (object: object): object | null => Object.getPrototypeOf(object) as object | null;

const polyfill: ReflectMetadata = {
  // As tsc's `__decorate` applies them when Reflect.decorate is missing: last first, each one's
  // result (a class, or a property descriptor) replacing what the next one gets.
  decorate(decorators, target, property, descriptor) {
    let decorated: unknown = property === undefined ? target : descriptor;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const result: unknown =
        property === undefined
          ? (decorators[i] as ClassDecorator)(decorated as Function)
          : (decorators[i] as (target: object, property: string | symbol, descriptor: unknown) => unknown)(
              target,
              property,
              decorated,
            );
      if (result !== undefined && result !== null) decorated = result;
    }
    return decorated;
  },
  metadata: (metadataKey, value) => (target, property) => polyfill.defineMetadata(metadataKey, value, target, property),
  defineMetadata(metadataKey, value, target, property) {
    ownRecord(target, property, true)!.set(metadataKey, value);
  },
  hasOwnMetadata: (metadataKey, target, property) => ownRecord(target, property, false)?.has(metadataKey) === true,
  getOwnMetadata: (metadataKey, target, property) => ownRecord(target, property, false)?.get(metadataKey),
  getOwnMetadataKeys: (target, property) => [...(ownRecord(target, property, false)?.keys() ?? [])],
  hasMetadata(metadataKey, target, property) {
    for (let object: object | null = target; object !== null; object = up(object)) {
      if (polyfill.hasOwnMetadata(metadataKey, object, property)) return true;
    }
    return false;
  },
  getMetadata(metadataKey, target, property) {
    for (let object: object | null = target; object !== null; object = up(object)) {
      const record = ownRecord(object, property, false);
      if (record?.has(metadataKey) === true) return record.get(metadataKey);
    }
    return undefined;
  },
  getMetadataKeys(target, property) {
    const keys = new Set<unknown>();
    for (let object: object | null = target; object !== null; object = up(object)) {
      for (const key of polyfill.getOwnMetadataKeys(object, property)) keys.add(key);
    }
    return [...keys];
  },
  deleteMetadata: (metadataKey, target, property) => ownRecord(target, property, false)?.delete(metadataKey) === true,
};

const globalReflect = Reflect as unknown as Partial<ReflectMetadata>;
if (typeof globalReflect.defineMetadata !== 'function') {
  for (const [name, value] of Object.entries(polyfill)) {
    Object.defineProperty(Reflect, name, { value, writable: true, configurable: true });
  }
}

/** The global Reflect metadata API: this module's, or the polyfill the app loaded before crest. */
export const reflectMetadata = Reflect as unknown as ReflectMetadata;
