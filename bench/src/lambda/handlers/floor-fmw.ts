import { findMyWayRoutes } from '../../apps/floor-fmw-lambda';
import { createFloorHandler } from '../../apps/floor-lambda';
import type { LambdaHandler } from './types';

/** The floor routing with find-my-way: what crest's router costs by itself. */
export async function createHandler(): Promise<LambdaHandler> {
  return createFloorHandler(findMyWayRoutes()) as LambdaHandler;
}
