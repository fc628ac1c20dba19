import Fastify, { type FastifyInstance } from 'fastify';
import { EXTRA_ROUTES, extraAnswer } from '../workload';
import { postalAnswer, loadPostalData } from './postal';

const echoSchema = {
  type: 'object',
  required: ['name', 'age'],
  additionalProperties: false,
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
} as const;

/** Response schemas: fastify's idiomatic fast path (fast-json-stringify), so fastify is measured at its best. */
const responses = {
  hello: { 200: { type: 'object', properties: { hello: { type: 'string' } } } },
  user: { 200: { type: 'object', properties: { id: { type: 'string' } } } },
  search: {
    200: { type: 'object', properties: { q: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
  },
  echo: { 200: echoSchema },
  postal: {
    200: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        addresses: {
          type: 'array',
          items: {
            type: 'object',
            properties: { prefecture: { type: 'string' }, locality: { type: 'string' }, address: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

const postalQuery = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', pattern: '^\\d{7}$' } },
} as const;

/** fastify 5: JSON schema validation (ajv) on POST /echo, response schemas everywhere. */
export function createFastifyApp(options: { postal?: boolean } = {}): FastifyInstance {
  const app = Fastify({ logger: false });
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) {
      app.get<{ Params: { id: string } }>(route.path, async (req) => extraAnswer(route.index, req.params.id));
    } else {
      app.get(route.path, async () => extraAnswer(route.index));
    }
  }
  app.get('/hello', { schema: { response: responses.hello } }, async () => ({ hello: 'world' }));
  app.get<{ Params: { id: string } }>('/users/:id', { schema: { response: responses.user } }, async (req) => ({
    id: req.params.id,
  }));
  app.get<{ Querystring: { q: string; tag: string | string[] } }>(
    '/search',
    { schema: { response: responses.search } },
    async (req) => {
      const tag = req.query.tag;
      return { q: req.query.q, tags: tag === undefined ? [] : Array.isArray(tag) ? tag : [tag] };
    },
  );
  app.post('/echo', { schema: { body: echoSchema, response: responses.echo } }, async (req) => req.body);
  if (options.postal) {
    loadPostalData();
    app.get<{ Querystring: { code: string } }>(
      '/postal_code',
      { schema: { querystring: postalQuery, response: responses.postal } },
      async (req, reply) => {
        const [status, body] = postalAnswer(req.query.code);
        return status === 200 ? body : reply.code(status).send(body);
      },
    );
  }
  return app;
}
