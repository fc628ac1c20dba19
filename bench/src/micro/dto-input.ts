import 'reflect-metadata';
import { createRequire } from 'node:module';
import { IsArray, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Body, Controller, createApp, Post, Query } from 'crest';
import { median } from '../stats';

// crest's own copy of class-transformer: @Type registers in its module-level storage, and bench/
// installs a second copy for the peers, which crest would not read.
const { Type } = createRequire(require.resolve('crest'))('class-transformer') as typeof import('class-transformer');

/*
 * `node .build/src/micro/dto-input.js [class…]` (pin it: `taskset -c 0 …`): the CPU time of one
 * request carrying each hostile DTO input class, at 1×, 4× and 16× size (16× is 6 MiB, the
 * default body limit), through app.inject(). Prints the status, the answer's size, the median CPU
 * ms per request (ROUNDS, default 5) and the 16×/1× growth (linear is ~16).
 */

class Item {
  @IsInt() qty!: number;
}

/** Every rule has a compiled check: the fast path. */
class Order {
  @IsString() name!: string;
  @IsOptional() @IsInt() qty?: number;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
  @IsOptional() @IsArray() tags?: unknown[];
}

/** `@IsObject()` has no compiled check: class-transformer and class-validator see every body. */
class LooseOrder {
  @IsString() name!: string;
  @IsOptional() @IsObject() meta?: object;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
}

class Search {
  @IsOptional() @IsString() q?: string;
}

@Controller()
class DtoController {
  @Post('/order') order(@Body() order: Order) {
    return { name: order.name };
  }
  @Post('/loose') loose(@Body() order: LooseOrder) {
    return { name: order.name };
  }
  @Post('/search') search(@Query() search: Search) {
    return search;
  }
}

const app = createApp({ controllers: [DtoController], maxUrlLength: 1 << 23 });
const FULL = 6 * 1024 * 1024 - 1024;
// SIZES=1,4 leaves out 16× (6 MiB), for code that needs minutes there.
const SIZES = (process.env.SIZES ?? '1,4,16').split(',').map((factor) => (FULL / 16) * Number(factor));
const ROUNDS = Number(process.env.ROUNDS ?? 5);

/** `head`, then `unit(i)` for i = 0, 1, … while it fits in `size` bytes, then `tail`. */
function fill(size: number, head: string, unit: (i: number) => string, tail: string): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const part = unit(i);
    if (length + part.length > size) break;
    parts.push(part);
    length += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

interface Case {
  name: string;
  url: string;
  body?: (size: number) => Buffer;
  query?: (size: number) => string;
}

const text = (value: string) => Buffer.from(value);
const CASES: Case[] = [
  {
    name: 'unknown keys, top level',
    url: '/order',
    body: (size) => text(fill(size, '{"name":"a","qty":1', (i) => `,"k${i}":1`, '}')),
  },
  {
    name: 'unknown keys, nested item',
    url: '/order',
    body: (size) => text(fill(size, '{"name":"a","items":[{"qty":1', (i) => `,"k${i}":1`, '}]}')),
  },
  {
    name: 'unknown keys, class-validator path',
    url: '/loose',
    body: (size) => text(fill(size, '{"name":"a"', (i) => `,"k${i}":1`, '}')),
  },
  { name: 'unknown query keys', url: '/search', query: (size) => fill(size, 'q=a', (i) => `&k${i}=1`, '') },
  {
    name: 'declared key repeated',
    url: '/order',
    body: (size) => text(fill(size, '{"name":"a"', () => ',"name":"a"', '}')),
  },
  {
    name: 'wrong type, long string',
    url: '/order',
    body: (size) => text(`{"qty":"x","name":"${'a'.repeat(size - 40)}"}`),
  },
  {
    name: 'wrong types, every item',
    url: '/loose',
    body: (size) => text(fill(size, '{"name":"a","items":[{"qty":"x"}', () => ',{"qty":"x"}', ']}')),
  },
  {
    name: 'deep JSON, fast path',
    url: '/order',
    body: (size) => text(`{"name":"a","tags":${'['.repeat(size / 2 - 20)}${']'.repeat(size / 2 - 20)}}`),
  },
  {
    name: 'deep JSON, class-validator path',
    url: '/loose',
    body: (size) => text(`{"name":"a","meta":{"x":${'['.repeat(size / 2 - 30)}${']'.repeat(size / 2 - 30)}}}`),
  },
  {
    name: 'not UTF-8 at the end',
    url: '/order',
    body: (size) => Buffer.concat([text(`{"name":"${'a'.repeat(size - 20)}`), Buffer.from([0xff, 0xfe]), text('"}')]),
  },
  {
    name: 'valid items, fast path',
    url: '/order',
    body: (size) => text(fill(size, '{"name":"a","items":[{"qty":0}', (i) => `,{"qty":${i}}`, ']}')),
  },
  {
    name: 'valid items, class-validator path',
    url: '/loose',
    body: (size) => text(fill(size, '{"name":"a","items":[{"qty":0}', (i) => `,{"qty":${i}}`, ']}')),
  },
  {
    name: 'valid free-form keys',
    url: '/loose',
    body: (size) => text(fill(size, '{"name":"a","meta":{"a":0', (i) => `,"k${i}":1`, '}}')),
  },
];

async function cpuMs(
  request: Parameters<typeof app.inject>[0],
): Promise<{ ms: number; status: number; bytes: number }> {
  const before = process.cpuUsage();
  const response = await app.inject(request);
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, status: response.statusCode, bytes: response.rawBody.length };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const entry of CASES) {
    if (only.length > 0 && !only.some((word) => entry.name.includes(word))) continue;
    const cells: string[] = [];
    const medians: number[] = [];
    for (const size of SIZES) {
      const request =
        entry.body === undefined
          ? { method: 'POST', url: `${entry.url}?${entry.query!(size)}` }
          : { method: 'POST', url: entry.url, headers: { 'content-type': 'application/json' }, body: entry.body(size) };
      await cpuMs(request); // warm-up
      const runs = [];
      for (let round = 0; round < ROUNDS; round++) runs.push(await cpuMs(request));
      const ms = median(runs.map((run) => run.ms));
      medians.push(ms);
      cells.push(`${(size / 1024).toFixed(0)} KiB ${ms.toFixed(1)} ms (${runs[0]!.status}, ${runs[0]!.bytes} B)`);
    }
    const growth = medians.length === 3 ? `  16×/1× ${(medians[2]! / medians[0]!).toFixed(1)}` : '';
    console.log(`${entry.name.padEnd(36)} ${cells.join('  ')}${growth}`);
  }
}

void main();
