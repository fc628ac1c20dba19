import { bundleLambda, type BundleResult } from '../../src/tools/bundle';

let bundled: Promise<BundleResult> | undefined;

/** `npm run example:bundle`'s output, built once per test run. */
export function sharedBundle(): Promise<BundleResult> {
  return (bundled ??= bundleLambda());
}
