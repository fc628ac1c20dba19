import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';
import { postalAnswer, loadPostalData } from './postal';

type Handler = (req: IncomingMessage, res: ServerResponse, query: string, param: string) => void;

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The floor: node:http with a hand-written router (a Map for static paths, a prefix check for
 * parameters) and a hand-written body check. No framework can do less and stay correct.
 */
export function createFloorServer(options: { postal?: boolean } = {}): Server {
  const statics = new Map<string, Handler>();
  const params: { prefix: string; suffix: string; handler: Handler }[] = [];
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) {
      const [prefix, suffix] = route.path.split(':id') as [string, string];
      params.push({ prefix, suffix, handler: (_req, res, _q, id) => send(res, 200, extraAnswer(route.index, id)) });
    } else statics.set(`GET ${route.path}`, (_req, res) => send(res, 200, extraAnswer(route.index)));
  }
  statics.set('GET /hello', (_req, res) => send(res, 200, { hello: 'world' }));
  params.push({ prefix: '/users/', suffix: '', handler: (_req, res, _q, id) => send(res, 200, { id }) });
  statics.set('GET /search', (_req, res, query) => {
    const search = new URLSearchParams(query);
    send(res, 200, { q: search.get('q'), tags: search.getAll('tag') });
  });
  statics.set('POST /echo', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        input = undefined;
      }
      if (isEchoInput(input)) send(res, 200, { name: input.name, age: input.age });
      else send(res, 400, { error: 'invalid input' });
    });
  });
  if (options.postal) {
    loadPostalData();
    statics.set('GET /postal_code', (_req, res, query) => {
      const [status, body] = postalAnswer(new URLSearchParams(query).get('code') ?? undefined);
      send(res, status, body);
    });
  }
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const question = url.indexOf('?');
    const path = question === -1 ? url : url.slice(0, question);
    const query = question === -1 ? '' : url.slice(question + 1);
    const handler = statics.get(`${req.method ?? 'GET'} ${path}`);
    if (handler !== undefined) return handler(req, res, query, '');
    if (req.method === 'GET') {
      for (const route of params) {
        if (!path.startsWith(route.prefix) || !path.endsWith(route.suffix)) continue;
        const id = path.slice(route.prefix.length, path.length - route.suffix.length);
        if (id.length > 0 && !id.includes('/')) return route.handler(req, res, query, decodeURIComponent(id));
      }
    }
    send(res, 404, { error: 'not found' });
  });
}
