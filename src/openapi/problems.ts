import { ErrorCodes, MAX_LISTED_ISSUES } from '../index';
import type { SchemaObject } from './types';

/** The media type of every error crest writes (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const PROBLEM: SchemaObject = {
  type: 'object',
  description: 'An RFC 9457 problem details object: every error response crest writes has this shape.',
  properties: {
    type: { type: 'string', description: 'A URI reference for the problem type; `about:blank` by default.' },
    title: { type: 'string', description: 'The reason phrase of the status, or a title set by the error.' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong (the `HttpError` message); absent for 5xx.' },
    code: {
      type: 'string',
      description: 'A stable error code, e.g. `CREST_VALIDATION`.',
      examples: ['CREST_NOT_FOUND'],
    },
    requestId: { type: 'string', description: 'The request id, to quote when reporting a problem.' },
    errors: {
      type: 'array',
      maxItems: MAX_LISTED_ISSUES,
      description: `The inputs that failed validation: at most ${MAX_LISTED_ISSUES}, the rest counted in \`omittedErrors\`.`,
      items: { $ref: '#/components/schemas/ValidationIssue' },
    },
    omittedErrors: {
      type: 'integer',
      minimum: 1,
      description:
        'How many further problems were found and not listed; absent when `errors` lists them all. crest stops ' +
        'looking once the answer is certain, so there may be more.',
    },
  },
  required: ['type', 'title', 'status', 'code'],
};

/** `components.schemas` entries for the problem details crest writes (see src/http/problem.ts). */
export const PROBLEM_SCHEMAS: Record<string, SchemaObject> = {
  Problem: PROBLEM,
  ValidationIssue: {
    type: 'object',
    description: 'One input that failed validation.',
    properties: {
      in: { type: 'string', enum: ['body', 'query', 'path', 'header', 'cookie'] },
      path: {
        type: 'string',
        description: 'The dotted field name (`address.city`, `items.0.qty`); empty for the whole input.',
      },
      code: { type: 'string', description: 'The failed rule (a class-validator constraint name, `type`, `required`).' },
      message: { type: 'string' },
    },
    required: ['in', 'path', 'code', 'message'],
  },
  // A copy rather than allOf, which docs pages render as an untyped schema.
  ValidationProblem: {
    ...PROBLEM,
    description: 'A 400 problem listing every input that failed validation.',
    properties: {
      ...PROBLEM.properties,
      code: { type: 'string', const: ErrorCodes.VALIDATION },
      errors: { ...PROBLEM.properties!.errors, minItems: 1 },
    },
    required: [...PROBLEM.required!, 'errors'],
  },
};
