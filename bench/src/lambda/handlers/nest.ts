import serverlessExpress from '@codegenie/serverless-express';
import { createNestApp } from '../../apps/nest';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  const app = await createNestApp('express');
  return serverlessExpress({ app: app.getHttpAdapter().getInstance() }) as unknown as LambdaHandler;
}
