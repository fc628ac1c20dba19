import serverless from 'serverless-http';
import { createExpressApp } from '../../apps/express';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  return serverless(createExpressApp()) as LambdaHandler;
}
