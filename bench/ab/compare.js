// A/B of two crest builds, for refactors that must not cost speed (issue 14's restructure):
//   node bench/ab/compare.js <a/dist/index.js> <b/dist/index.js> [--source=rest-v1|http-v2|alb] [--lambda-only | --http-only]
//     [--http-url=/users/7|/schema/7|/lookup?code=1000001] (a plain route, one with @ResponseSchema, one with a @Query() DTO)
// (from the repository root; --source takes bench's event builders, so build bench first: cd bench && npm run build).
// 1. Lambda in-process (CPU µs per invocation): both builds in one process, batches of 20,000 HTTP API events (GET with a
//    number parameter, POST with a two-field DTO) alternated 24 times, medians of the last 20.
// 2. node:http: both servers pinned to CPU 0, wrk pinned to CPU 1, 5 s runs alternated 6 times
//    (GET /users/:id), median server CPU µs per request. Alternation cancels most of a loaded machine's drift.
'use strict';
const { execFileSync, fork } = require('node:child_process');
require('reflect-metadata');
const { IsString, IsInt, Matches } = require('class-validator');

function build(path) {
  const { Controller, Get, Post, Param, Body, Query, ResponseSchema, createApp } = require(path);
  const decorate = (decorators, target, key, descriptor) => Reflect.decorate(decorators, target, key, descriptor);
  class Item {}
  decorate([IsString()], Item.prototype, 'name');
  decorate([IsInt()], Item.prototype, 'qty');
  Reflect.defineMetadata('design:type', String, Item.prototype, 'name');
  Reflect.defineMetadata('design:type', Number, Item.prototype, 'qty');
  class Answer {}
  decorate([IsInt()], Answer.prototype, 'id');
  decorate([IsString()], Answer.prototype, 'name');
  Reflect.defineMetadata('design:type', Number, Answer.prototype, 'id');
  Reflect.defineMetadata('design:type', String, Answer.prototype, 'name');
  class LookupQuery {}
  decorate([Matches(/^\d{7}$/)], LookupQuery.prototype, 'code');
  Reflect.defineMetadata('design:type', String, LookupQuery.prototype, 'code');
  class Users {
    show(id) {
      return { id, name: `user${id}` };
    }
    lookup(query) {
      return { code: query.code };
    }
    echo(item) {
      return item;
    }
  }
  Reflect.defineMetadata('design:paramtypes', [Number], Users.prototype, 'show');
  Reflect.defineMetadata('design:paramtypes', [Item], Users.prototype, 'echo');
  Reflect.defineMetadata('design:paramtypes', [LookupQuery], Users.prototype, 'lookup');
  const method = (name) => Object.getOwnPropertyDescriptor(Users.prototype, name);
  decorate([Get('/users/:id'), (t, k, d) => (Param('id')(t, k, 0), d)], Users.prototype, 'show', method('show'));
  decorate([Post('/echo'), (t, k, d) => (Body()(t, k, 0), d)], Users.prototype, 'echo', method('echo'));
  // The same handler again, its answer through a serializer compiled from Answer.
  Users.prototype.schema = Users.prototype.show;
  Reflect.defineMetadata('design:paramtypes', [Number], Users.prototype, 'schema');
  decorate(
    [Get('/schema/:id'), ResponseSchema(Answer), (t, k, d) => (Param('id')(t, k, 0), d)],
    Users.prototype,
    'schema',
    method('schema'),
  );
  decorate([Get('/lookup'), (t, k, d) => (Query()(t, k, 0), d)], Users.prototype, 'lookup', method('lookup'));
  decorate([Controller()], Users);
  return createApp({ controllers: [Users] });
}

const option = (name) => {
  const arg = process.argv.find((candidate) => candidate.startsWith(`--${name}=`));
  return arg === undefined ? '' : arg.slice(name.length + 3);
};
const source = option('source');
const httpUrl = option('http-url') || '/users/7';
const createEvent = source === '' ? undefined : require('../.build/src/lambda/events.js').createEvent;

const context = { awsRequestId: 'id', getRemainingTimeInMillis: () => 30_000 };
function event(method, path, body) {
  if (createEvent !== undefined) return createEvent(source, { method, path, query: '', body });
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: body === undefined ? { host: 'x' } : { host: 'x', 'content-type': 'application/json' },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'ab' },
      requestId: 'r',
      domainName: 'abc.execute-api.us-east-1.amazonaws.com',
      stage: '$default',
    },
    body,
    isBase64Encoded: false,
  };
}
// CPU time, not wall time: on a loaded machine the process is descheduled for whole milliseconds.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function lambda(paths) {
  const handlers = paths.map((path) => build(path).lambda());
  const times = paths.map(() => ({ get: [], post: [] }));
  const batch = 20_000;
  for (let round = 0; round < 24; round++) {
    for (const i of round % 2 ? [0, 1] : [1, 0]) {
      let start = cpu();
      for (let n = 0; n < batch; n++) await handlers[i](event('GET', `/users/${n}`), context);
      if (round >= 4) times[i].get.push((cpu() - start) / batch);
      start = cpu();
      for (let n = 0; n < batch; n++) await handlers[i](event('POST', '/echo', '{"name":"a","qty":3}'), context);
      if (round >= 4) times[i].post.push((cpu() - start) / batch);
    }
  }
  for (const kind of ['get', 'post']) {
    const [a, b] = times.map((t) => median(t[kind]));
    console.log(
      `Lambda in-process ${source || 'http-v2'} ${kind.toUpperCase()}: a ${a.toFixed(3)} µs, b ${b.toFixed(3)} µs, b/a ${(b / a).toFixed(3)}`,
    );
  }
}

async function http(paths) {
  const servers = await Promise.all(
    paths.map(
      (path) =>
        new Promise((resolve) => {
          const child = fork(__filename, ['--serve', path], { execArgv: [] });
          execFileSync('taskset', ['-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
          child.once('message', (port) => resolve({ child, port }));
        }),
    ),
  );
  const serverCpu = ({ child }) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send('cpu');
    });
  const costs = paths.map(() => []);
  for (let round = 0; round < 6; round++) {
    for (const i of round % 2 ? [0, 1] : [1, 0]) {
      const before = await serverCpu(servers[i]);
      const out = execFileSync(
        'taskset',
        ['-c', '1', 'wrk', '-t1', '-c50', '-d5s', `http://127.0.0.1:${servers[i].port}${httpUrl}`],
        {
          encoding: 'utf8',
        },
      );
      const requests = Number(/(\d+) requests in/.exec(out)[1]);
      costs[i].push(((await serverCpu(servers[i])) - before) / requests);
    }
  }
  for (const { child } of servers) child.kill();
  const [a, b] = costs.map(median);
  console.log(
    `node:http GET ${httpUrl}, server CPU per request: a ${a.toFixed(2)} µs, b ${b.toFixed(2)} µs, b/a ${(b / a).toFixed(3)}`,
  );
}

if (process.argv[2] === '--serve') {
  build(process.argv[3])
    .listen(0, '127.0.0.1')
    .then((server) => process.send(server.address().port));
  process.on('message', () => process.send(cpu()));
} else {
  const paths = process.argv.slice(2, 4).map((path) => require.resolve(path, { paths: [process.cwd()] }));
  const run = process.argv.includes('--http-only') ? Promise.resolve() : lambda(paths);
  run.then(() => (process.argv.includes('--lambda-only') ? undefined : http(paths)));
}
