import awsLambdaFastify from '@fastify/aws-lambda';
import { createFastifyApp } from '../../apps/fastify';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  const app = createFastifyApp();
  // Multi-value ALB events carry their headers only in `multiValueHeaders`.
  const proxy = awsLambdaFastify(app, { albMultiValueHeaders: true });
  await app.ready();
  return proxy as LambdaHandler;
}
