import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLambda, type BundleResult } from '../../src/tools/bundle';
import { EXAMPLE_DIR } from './offline';

export interface TestBundle extends BundleResult {
  /**
   * A serverless service directory: example/serverless.yml as it is, with the zip at the
   * `.build/crest-example.zip` it names. Private to this test run, so that runs in parallel
   * (colleagues sharing a work tree) never touch each other's files.
   */
  serviceDir: string;
}

let bundled: Promise<TestBundle> | undefined;

/** `npm run example:bundle`'s output in a temporary directory, built once per test run. */
export function sharedBundle(): Promise<TestBundle> {
  return (bundled ??= (async () => {
    const serviceDir = mkdtempSync(join(tmpdir(), 'crest-example-service-'));
    process.once('exit', () => rmSync(serviceDir, { recursive: true, force: true }));
    copyFileSync(join(EXAMPLE_DIR, 'serverless.yml'), join(serviceDir, 'serverless.yml'));
    return { ...(await bundleLambda(join(serviceDir, '.build'))), serviceDir };
  })());
}
