import { createCrestTwoDtosApp } from '../../apps/crest-two-dtos';
import type { LambdaHandler } from './types';

/** crest with two class-validator DTOs (a request body and a response): the cold start with DTOs. */
export async function createHandler(): Promise<LambdaHandler> {
  return createCrestTwoDtosApp().lambda() as LambdaHandler;
}
