import serverless from 'serverless-http';
import { createRoutingControllersApp } from '../../apps/routing-controllers';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  return serverless(createRoutingControllersApp()) as LambdaHandler;
}
