import { addIssue, MAX_LISTED_ISSUES, type ValidationIssues } from '../errors';

/**
 * Validates a plain value into a DTO instance, adding problems to `issues`. A DTO with
 * asynchronous constraints answers with a promise. (Declared here, beside its first user, so that
 * validation.ts imports this file and not the other way round.)
 */
export type DtoValidate = (plain: unknown, issues: ValidationIssues) => unknown;

/**
 * How many items of a long array of nested DTOs are checked on their own before the whole body
 * is: enough to find a problem's worth of bad items, few enough to cost nothing.
 */
const SAMPLED_ITEMS = 64;

/** A property holding an array of nested DTOs, and the validator of one item. */
export interface ItemSampler {
  property: string;
  /** Read on use: a recursive DTO's item validator is the DTO's own, compiled after its samplers. */
  item: () => DtoValidate;
}

/**
 * Validates the first items of each long array of nested DTOs on their own. When they alone hold
 * more problems than a problem lists, the answer is known: those are added and it returns true,
 * so that a body of a million bad items is refused without transforming and validating them all.
 * An item's problems do not depend on the rest of the body (class-validator validates each
 * nested item on its own), so they are the ones the whole body would give.
 */
export function refuseFromItems(plain: object, samplers: readonly ItemSampler[], issues: ValidationIssues): boolean {
  const found: ValidationIssues = [];
  for (const { property, item } of samplers) {
    const items = (plain as Record<string, unknown>)[property];
    // Short arrays cost little in full; other values are for the libraries to judge.
    if (!Array.isArray(items) || items.length <= SAMPLED_ITEMS) continue;
    const validate = item();
    for (let index = 0; index < SAMPLED_ITEMS; index++) {
      const value: unknown = items[index];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const before = found.length;
      validate(value, found);
      for (let i = before; i < found.length; i++) {
        const issue = found[i]!;
        found[i] = {
          ...issue,
          path: issue.path === '' ? `${property}.${index}` : `${property}.${index}.${issue.path}`,
        };
      }
      if (found.length + (found.omitted ?? 0) > MAX_LISTED_ISSUES) {
        for (const issue of found) addIssue(issues, issue);
        issues.omitted = (issues.omitted ?? 0) + (found.omitted ?? 0);
        return true;
      }
    }
  }
  return false;
}
