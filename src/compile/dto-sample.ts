import { addIssue, MAX_LISTED_ISSUES, type ValidationIssues } from '../errors';
import { itemSample, parseJsonBody, type JsonItemSample } from '../http/json-body';

/**
 * Validates a plain value into a DTO instance, adding problems to `issues`. A DTO with
 * asynchronous constraints answers with a promise. (Declared here, beside its first user, so that
 * validation.ts imports this file and not the other way round.)
 */
export type DtoValidate = (plain: unknown, issues: ValidationIssues) => unknown;

/**
 * How many items of a long array of nested DTOs are checked on their own before the whole body
 * is, at least: enough to find a problem's worth of bad items, few enough to cost nothing. Items
 * with a compiled fast path are all checked (until a problem's worth is found): a valid one
 * costs next to nothing, and bad items after good ones are found as soon as they start.
 */
export const SAMPLED_ITEMS = 64;

/**
 * From how many bytes a JSON body's items are sampled before it is parsed: a smaller body parses
 * in microseconds (its items are sampled once it is), less than looking for them costs.
 */
export const SAMPLED_BODY_BYTES = 16_384;

/** The validator of one nested DTO. */
export interface ItemValidator {
  validate: DtoValidate;
  /** Whether valid input takes a compiled fast path (dto-plan.ts): cheap to check one by one. */
  fast: boolean;
}

/** A property holding an array of nested DTOs, and the validator of one item. */
export interface ItemSampler {
  property: string;
  /** Read on use: a recursive DTO's item validator is the DTO's own, compiled after its samplers. */
  item: () => ItemValidator;
}

/** Items of one array, read on demand (undefined: an item that could not be read). */
interface SampledItems {
  property: string;
  item: ItemValidator;
  /** The array's length. */
  count: number;
  /** How many of its first items can be read. */
  readable: number;
  /** Indexes past those that can be read too, spread over the rest of the array. */
  spread: readonly number[];
  at(index: number): unknown;
}

/**
 * Validates the first items of each long array of nested DTOs on their own. When they alone hold
 * more problems than a problem lists, the answer is known: those are added and it returns true,
 * so that a body of a million bad items is refused without transforming and validating them all.
 * An item's problems do not depend on the rest of the body (class-validator validates each
 * nested item on its own), so they are the ones the whole body would give.
 */
export function refuseFromItems(plain: object, samplers: readonly ItemSampler[], issues: ValidationIssues): boolean {
  return refuseFromSamples(
    samplers.map(({ property, item }) => {
      const items = (plain as Record<string, unknown>)[property];
      return Array.isArray(items)
        ? {
            property,
            item: item(),
            count: items.length,
            readable: items.length,
            spread: [],
            at: (index: number): unknown => items[index],
          }
        : undefined;
    }),
    issues,
  );
}

/**
 * {@link refuseFromItems} before the body is parsed, from the items' bytes found by `scanJson`:
 * each item is parsed on its own, so that a body of a million bad items costs a pass over its
 * bytes, not a parse of them all. Only a key the body holds once (JSON.parse keeps the last of
 * several) is sampled; an item that is not JSON on its own ends the sampling, and the whole body
 * is read as usual.
 */
export function refuseFromItemBytes(
  body: Buffer,
  samples: ReadonlyMap<string, JsonItemSample>,
  samplers: readonly ItemSampler[],
  issues: ValidationIssues,
): boolean {
  return refuseFromSamples(
    samplers.map(({ property, item }) => {
      const sample = samples.get(property);
      if (sample === undefined || sample.occurrences !== 1 || !sample.isArray) return undefined;
      const spread = new Map(sample.spread.map(([start, end, index]) => [index, [start, end] as const]));
      const at = (index: number): unknown => {
        const [start, end] = sample.ranges[index] ?? spread.get(index)!;
        try {
          return parseJsonBody(body.subarray(start, end));
        } catch {
          return undefined;
        }
      };
      const readable = sample.ranges.length;
      return { property, item: item(), count: sample.count, readable, spread: [...spread.keys()], at };
    }),
    issues,
  );
}

/**
 * What a DTO's validator reads of a JSON body's top-level arrays before parsing it: the first
 * items of `samplers`' arrays, the length of `counted` ones.
 */
export function createItemSamples(
  samplers: readonly ItemSampler[],
  counted: readonly string[] = [],
): Map<string, JsonItemSample> {
  const samples = new Map<string, JsonItemSample>();
  for (const name of counted) samples.set(name, itemSample(0));
  for (const { property } of samplers) samples.set(property, itemSample(SAMPLED_ITEMS));
  return samples;
}

function refuseFromSamples(sampled: ReadonlyArray<SampledItems | undefined>, issues: ValidationIssues): boolean {
  const found: ValidationIssues = [];
  for (const items of sampled) {
    // Short arrays cost little in full; other values are for the libraries to judge.
    if (items === undefined || items.count <= SAMPLED_ITEMS) continue;
    const checked = Math.min(items.readable, items.item.fast ? items.count : SAMPLED_ITEMS);
    for (let index = 0; index < checked; index++) {
      const known = checkItem(items, index, found, issues);
      if (known !== undefined) return known;
    }
    for (const index of items.spread) {
      const known = checkItem(items, index, found, issues);
      if (known !== undefined) return known;
    }
  }
  return false;
}

/**
 * Validates one sampled item into `found`: true once they hold more problems than a problem
 * lists (then added to `issues`), false where the item cannot be judged alone, else undefined.
 */
function checkItem(
  items: SampledItems,
  index: number,
  found: ValidationIssues,
  issues: ValidationIssues,
): boolean | undefined {
  const value = items.at(index);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const before = found.length;
  items.item.validate(value, found);
  const { property } = items;
  for (let i = before; i < found.length; i++) {
    const issue = found[i]!;
    found[i] = { ...issue, path: issue.path === '' ? `${property}.${index}` : `${property}.${index}.${issue.path}` };
  }
  if (found.length + (found.omitted ?? 0) <= MAX_LISTED_ISSUES) return undefined;
  for (const issue of found) addIssue(issues, issue);
  issues.omitted = (issues.omitted ?? 0) + (found.omitted ?? 0);
  return true;
}
