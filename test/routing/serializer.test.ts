import 'reflect-metadata';
import { expect } from 'chai';
import fc from 'fast-check';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsBoolean, IsInt, IsNumber, IsOptional, IsString, ValidateNested } from 'class-validator';
import { compileSerializer } from '../../src/compile/serializer';
import type { JsonSerializer } from '../../src/http/response';

class Tag {
  @IsString() name!: string;
  @IsOptional() @IsInt() weight?: number;
}

class Node {
  @IsString() label!: string;
  @IsOptional() @ValidateNested() @Type(() => Node) next?: Node;
}

class Item {
  @IsString() id!: string;
  @IsNumber() price!: number;
  @IsBoolean() active!: boolean;
  @IsArray() @IsString({ each: true }) labels!: string[];
  @IsArray() @IsInt({ each: true }) counts!: number[];
  @IsOptional() @ValidateNested() tag?: Tag;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Tag) tags?: Tag[];
  @IsOptional() created?: Date;
  @Allow() extra?: unknown;
  @IsOptional() @ValidateNested() node?: Node;
}

class Undeclared {
  name!: string;
}

/** What crest promises: JSON.stringify of the value cut down to the declared properties. */
const LIST = Symbol('list');
type Field = 'leaf' | Shape | { [LIST]: Field };
interface Shape {
  [key: string]: Field;
}
const TAG: Shape = { name: 'leaf', weight: 'leaf' };
const NODE: Shape = { label: 'leaf' };
NODE.next = NODE;
const ITEM: Shape = {
  id: 'leaf',
  price: 'leaf',
  active: 'leaf',
  labels: 'leaf',
  counts: 'leaf',
  tag: TAG,
  tags: { [LIST]: TAG },
  created: 'leaf',
  extra: 'leaf',
  node: NODE,
};

function project(field: Field, value: unknown): unknown {
  if (field === 'leaf' || value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (LIST in field) return Array.isArray(value) ? value.map((item: unknown) => project(field[LIST], item)) : value;
  if (Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(field)) {
    const property = (value as Record<string, unknown>)[key];
    if (property !== undefined) out[key] = project(field[key]!, property);
  }
  return out;
}

const strings = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '',
    'a"b',
    'back\\slash',
    'line\nbreak',
    '\u0000',
    '\u2028',
    'é😀',
    '\ud800',
    '\udc00x',
    'x'.repeat(300),
  ),
);
const numbers = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2),
);
const leaf = fc.oneof(
  strings,
  numbers,
  fc.boolean(),
  fc.constantFrom(null, undefined, new Date(0), () => 1, Symbol('s'), { toJSON: () => 'custom' }),
  fc.array(fc.oneof(strings, numbers, fc.constant(undefined)), { maxLength: 3 }),
);
const tagLike = fc.oneof(fc.record({ name: leaf, weight: leaf, secret: leaf }, { requiredKeys: [] }), leaf);
const itemLike = fc.record(
  {
    id: leaf,
    price: leaf,
    active: leaf,
    labels: fc.oneof(fc.array(strings, { maxLength: 3 }), leaf),
    counts: fc.oneof(fc.array(numbers, { maxLength: 3 }), leaf),
    tag: tagLike,
    tags: fc.oneof(fc.array(tagLike, { maxLength: 3 }), leaf),
    created: fc.oneof(fc.date({ noInvalidDate: true }), leaf),
    extra: fc.oneof(fc.object({ maxDepth: 2 }), leaf),
    node: fc.oneof(fc.record({ label: leaf, next: fc.record({ label: leaf, hidden: leaf }) }), leaf),
    password: leaf,
  },
  { requiredKeys: [] },
);

describe('compileSerializer (@ResponseSchema)', () => {
  const item = compileSerializer(Item, false)!;
  const items = compileSerializer(Item, true)!;

  describe('when the value matches the DTO', () => {
    it('writes what JSON.stringify writes', () => {
      const value = {
        id: 'a1',
        price: 9.5,
        active: true,
        labels: ['x', 'y'],
        counts: [1, 2],
        tag: { name: 't', weight: 2 },
        tags: [{ name: 'u' }],
        created: new Date(0),
        extra: { any: [1, { deep: true }] },
        node: { label: 'n', next: { label: 'm' } },
      };
      expect(item(value)).to.equal(JSON.stringify(value));
      expect(items([value, value])).to.equal(JSON.stringify([value, value]));
    });
  });

  describe('when the value holds more than the DTO declares', () => {
    it('leaves undeclared properties out, at every depth', () => {
      const value = {
        password: 'hunter2',
        id: 'a1',
        tag: { name: 't', secret: 1 },
        tags: [{ name: 'u', secret: 2 }],
        node: { label: 'n', next: { label: 'm', secret: 3 } },
      };
      expect(JSON.parse(item(value)!)).to.deep.equal({
        id: 'a1',
        tag: { name: 't' },
        tags: [{ name: 'u' }],
        node: { label: 'n', next: { label: 'm' } },
      });
    });
  });

  describe('when values are not of the declared types', () => {
    const cases: Array<[string, unknown]> = [
      ['a number where a string is declared', { id: 1 }],
      ['NaN, infinities and -0', { price: NaN, counts: [Infinity, -Infinity, -0] }],
      ['strings that need escapes', { id: 'a"\\\n\u0001\u2028\ud800' }],
      ['a long string', { id: 'x'.repeat(1000) }],
      ['undefined, functions and symbols in a list', { labels: [undefined, () => 1, Symbol('s'), 'ok'] }],
      ['a sparse list', { counts: [1, , 3] }], // eslint-disable-line no-sparse-arrays
      ['null everywhere', { id: null, price: null, tag: null, tags: null, node: null }],
      ['an object with toJSON', { tag: { toJSON: () => 'as text' } }],
      ['a toJSON that gives undefined', { tag: { toJSON: () => undefined } }],
      ['a list where an object is declared', { tag: [1, 2] }],
      ['an object where a list is declared', { labels: { 0: 'a' } }],
    ];
    for (const [name, value] of cases) {
      it(`writes ${name} as JSON.stringify does`, () => {
        expect(item(value)).to.equal(JSON.stringify(project(ITEM, value)));
      });
    }

    it('hands a top-level value that is not an object (or has toJSON) to JSON.stringify', () => {
      for (const value of [null, 1, 'text', true, [1, 2], { toJSON: () => ({ a: 1 }) }, () => 1]) {
        expect(item(value)).to.equal(JSON.stringify(value));
        expect(items(value)).to.equal(JSON.stringify(value));
      }
    });
  });

  it('agrees with JSON.stringify of the projected value on generated values', () => {
    fc.assert(
      fc.property(itemLike, (value) => {
        expect(item(value)).to.equal(JSON.stringify(project(ITEM, value)));
        expect(items([value, null, value])).to.equal(JSON.stringify(project({ [LIST]: ITEM }, [value, null, value])));
      }),
      { seed: 20261128, numRuns: 3000 },
    );
  });

  it('throws where JSON.stringify throws (a BigInt), so the app answers 500', () => {
    expect(() => item({ id: 1n })).to.throw(TypeError);
  });

  it('compiles nothing for a class without class-validator rules', () => {
    expect(compileSerializer(Undeclared, false)).to.equal(undefined);
  });

  it('terminates on a DTO that contains itself', () => {
    const node: JsonSerializer = compileSerializer(Node, false)!;
    expect(node({ label: 'a', next: { label: 'b', next: { label: 'c', x: 1 } } })).to.equal(
      '{"label":"a","next":{"label":"b","next":{"label":"c"}}}',
    );
  });
});
