import serverlessExpress from '@codegenie/serverless-express';
import { createExpressApp } from '../../apps/express';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  return serverlessExpress({ app: createExpressApp() }) as unknown as LambdaHandler;
}
