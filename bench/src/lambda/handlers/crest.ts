import { createCrestApp } from '../../apps/crest';
import type { LambdaHandler } from './types';

/** crest validating POST /echo with a class-validator DTO. */
export async function createHandler(): Promise<LambdaHandler> {
  return createCrestApp().lambda() as LambdaHandler;
}
