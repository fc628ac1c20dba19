import { expect } from 'chai';
import { createApp, CrestBootError } from '../../../src';
import type { Class } from '../../../src/metadata/metadata';

type AppOptions = Parameters<typeof createApp>[0];

/** The error `createApp` refuses these controllers (and options) with. */
export function bootError(controllers: Class[], options: Omit<AppOptions, 'controllers'> = {}): CrestBootError {
  try {
    createApp({ ...options, controllers });
  } catch (error) {
    expect(error).to.be.instanceOf(CrestBootError);
    return error as CrestBootError;
  }
  throw new Error('createApp did not throw');
}
