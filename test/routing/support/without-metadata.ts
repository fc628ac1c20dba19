import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import type { Class } from '../../../src/metadata/metadata';

const DESIGN_KEYS = ['design:type', 'design:paramtypes', 'design:returntype'];

/**
 * Removes what tsc emits and esbuild (AWS CDK, SAM), tsx and Vite do not: the design types of
 * every method and of every property with class-validator rules. What is left is what a
 * bundle's classes carry: the decorators' own records.
 */
export function withoutDesignTypes(...classes: Class[]): void {
  for (const type of classes) {
    const prototype = type.prototype as object;
    const properties = getMetadataStorage()
      .getTargetValidationMetadatas(type as Function, '', true, false)
      .map((rule) => rule.propertyName);
    for (const key of [...Object.getOwnPropertyNames(prototype), ...properties]) {
      for (const metadataKey of DESIGN_KEYS) Reflect.deleteMetadata(metadataKey, prototype, key);
    }
  }
}
