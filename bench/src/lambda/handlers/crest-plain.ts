import { createCrestPlainApp } from '../../apps/crest-plain';
import type { LambdaHandler } from './types';

/** crest with no DTO (POST /echo checked by hand): class-validator is never loaded. */
export async function createHandler(): Promise<LambdaHandler> {
  return createCrestPlainApp().lambda() as LambdaHandler;
}
