import { handle } from 'hono/aws-lambda';
import { createHonoApp } from '../../apps/hono';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  return handle(createHonoApp()) as LambdaHandler;
}
