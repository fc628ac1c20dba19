import { createLambdaApi } from '../../apps/lambda-api';
import type { LambdaHandler } from './types';

export async function createHandler(): Promise<LambdaHandler> {
  const api = createLambdaApi();
  return (event, context) => api.run(event as never, context as never);
}
