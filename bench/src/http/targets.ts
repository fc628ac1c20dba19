/* eslint-disable @typescript-eslint/no-require-imports -- each server process loads only its own framework */
import { createServer, type Server } from 'node:http';
import type * as FloorHttp from '../apps/floor-http';
import type * as CrestApp from '../apps/crest';
import type * as FastifyApp from '../apps/fastify';
import type * as HonoApp from '../apps/hono';
import type * as HonoNodeServer from '@hono/node-server';
import type * as ExpressApp from '../apps/express';
import type * as KoaApp from '../apps/koa';
import type * as RoutingControllersApp from '../apps/routing-controllers';
import type * as NestApp from '../apps/nest';

/** A framework served on node:http, started inside the (pinned) server process. */
export interface HttpTarget {
  name: string;
  label: string;
  /** How POST /echo is validated. */
  validation: string;
  listen(port: number): Promise<void>;
}

function listening(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Every HTTP server also serves the example's postal-code lookup. */
const POSTAL = { postal: true };

export const HTTP_TARGETS: readonly HttpTarget[] = [
  {
    name: 'floor',
    label: 'node:http (floor)',
    validation: 'hand-written',
    listen: async (port) =>
      listening((require('../apps/floor-http') as typeof FloorHttp).createFloorServer(POSTAL), port),
  },
  {
    name: 'crest',
    label: 'crest',
    validation: 'class-validator DTO',
    listen: async (port) => {
      const { createCrestApp } = require('../apps/crest') as typeof CrestApp;
      await createCrestApp(POSTAL).listen(port, '127.0.0.1');
    },
  },
  {
    name: 'fastify',
    label: 'fastify 5',
    validation: 'JSON schema (ajv)',
    listen: async (port) => {
      const { createFastifyApp } = require('../apps/fastify') as typeof FastifyApp;
      await createFastifyApp(POSTAL).listen({ port, host: '127.0.0.1' });
    },
  },
  {
    name: 'hono',
    label: 'hono (node-server)',
    validation: 'hand-written',
    listen: async (port) => {
      const { createHonoApp } = require('../apps/hono') as typeof HonoApp;
      const { createAdaptorServer } = require('@hono/node-server') as typeof HonoNodeServer;
      await listening(createAdaptorServer({ fetch: createHonoApp(POSTAL).fetch }) as Server, port);
    },
  },
  {
    name: 'express',
    label: 'express 5',
    validation: 'hand-written',
    listen: async (port) => {
      const { createExpressApp } = require('../apps/express') as typeof ExpressApp;
      await listening(createServer(createExpressApp(POSTAL)), port);
    },
  },
  {
    name: 'koa',
    label: 'koa',
    validation: 'hand-written',
    listen: async (port) => {
      const { createKoaApp } = require('../apps/koa') as typeof KoaApp;
      await listening(createServer(createKoaApp(POSTAL).callback()), port);
    },
  },
  {
    name: 'routing-controllers',
    label: 'routing-controllers (express)',
    validation: 'class-validator DTO',
    listen: async (port) => {
      const { createRoutingControllersApp } = require('../apps/routing-controllers') as typeof RoutingControllersApp;
      await listening(createServer(createRoutingControllersApp(POSTAL)), port);
    },
  },
  {
    name: 'nest-express',
    label: 'NestJS (express)',
    validation: 'class-validator DTO',
    listen: async (port) => {
      const { createNestApp } = require('../apps/nest') as typeof NestApp;
      await (await createNestApp('express', POSTAL)).listen(port, '127.0.0.1');
    },
  },
  {
    name: 'nest-fastify',
    label: 'NestJS (fastify)',
    validation: 'class-validator DTO',
    listen: async (port) => {
      const { createNestApp } = require('../apps/nest') as typeof NestApp;
      await (await createNestApp('fastify', POSTAL)).listen(port, '127.0.0.1');
    },
  },
];

export function httpTarget(name: string): HttpTarget {
  const target = HTTP_TARGETS.find((candidate) => candidate.name === name);
  if (target === undefined) throw new Error(`unknown HTTP target ${name}`);
  return target;
}
