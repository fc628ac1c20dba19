import { createFloorHandler } from '../../apps/floor-lambda';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  return createFloorHandler() as LambdaHandler;
}
