import { expect } from 'chai';
import { createApp, CrestBootError } from '../../../src';
import type { Class } from '../../../src/metadata/metadata';

/** The error `createApp` refuses these controllers with. */
export function bootError(controllers: Class[]): CrestBootError {
  try {
    createApp({ controllers });
  } catch (error) {
    expect(error).to.be.instanceOf(CrestBootError);
    return error as CrestBootError;
  }
  throw new Error('createApp did not throw');
}
