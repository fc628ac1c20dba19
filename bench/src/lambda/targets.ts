import { join } from 'node:path';
import type { LambdaHandler } from './handlers/types';

export type { LambdaHandler };

/** An in-process Lambda peer; its handler module (handlers/<name>) exports `createHandler()`. */
export interface LambdaTarget {
  name: string;
  label: string;
  validation: string;
  /** Measured at cold start only (a variant of another peer's app, not a peer of its own in-process). */
  coldOnly?: boolean;
}

export const LAMBDA_TARGETS: readonly LambdaTarget[] = [
  { name: 'floor', label: 'hand-written (floor)', validation: 'hand-written' },
  { name: 'floor-fmw', label: 'hand-written + find-my-way', validation: 'hand-written' },
  { name: 'crest', label: 'crest', validation: 'class-validator DTO' },
  {
    name: 'crest-two-dtos',
    label: 'crest (two DTOs)',
    validation: 'class-validator DTO',
    coldOnly: true,
  },
  { name: 'crest-plain', label: 'crest (no DTO)', validation: 'hand-written' },
  { name: 'lambda-api', label: 'lambda-api', validation: 'hand-written' },
  { name: 'hono', label: 'hono/aws-lambda', validation: 'hand-written' },
  { name: 'fastify', label: '@fastify/aws-lambda', validation: 'JSON schema (ajv)' },
  { name: 'serverless-http', label: 'serverless-http + express', validation: 'hand-written' },
  { name: 'serverless-express', label: 'serverless-express + express', validation: 'hand-written' },
  { name: 'powertools', label: 'Powertools event-handler', validation: 'hand-written' },
  { name: 'routing-controllers', label: 'routing-controllers + serverless-http', validation: 'class-validator DTO' },
  { name: 'nest', label: 'NestJS + serverless-express', validation: 'class-validator DTO' },
];

export function lambdaTarget(name: string): LambdaTarget {
  const target = LAMBDA_TARGETS.find((candidate) => candidate.name === name);
  if (target === undefined) throw new Error(`unknown Lambda target ${name}`);
  return target;
}

/** The compiled handler module of a target. */
export function handlerModule(name: string): string {
  lambdaTarget(name);
  return join(__dirname, 'handlers', `${name}.js`);
}

/** Loads a target's handler module (and with it the framework) and builds the handler. */
export async function createLambdaHandler(name: string): Promise<LambdaHandler> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each worker loads only its own framework
  const module = require(handlerModule(name)) as { createHandler(): Promise<LambdaHandler> };
  return module.createHandler();
}
