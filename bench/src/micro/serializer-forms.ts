import 'reflect-metadata';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, ValidateNested } from 'class-validator';
import { median } from '../stats';

/*
 * `npm --prefix .. run build:all && npm run build && taskset -c 0 node .build/src/micro/serializer-forms.js`:
 * crest's response serializer (src/compile/serializer.ts: one function generated from the DTO's
 * metadata at boot) against the plain form it replaced (one closure per property, built at boot
 * from the same property list), on a 7-field DTO (a nested DTO, a string list, one undeclared
 * field dropped) and on a list of 50 of them. Both must give the same bytes; A and B alternate,
 * medians of ns per call. Issue 14 asked whether the generated code earns its complexity.
 */

type Kind = 'string' | 'number' | 'boolean' | 'any' | { dto: Function } | { list: Kind };
type Serializer = (value: unknown) => string | undefined;
interface SerializerModule {
  compileSerializer(dto: Function, isArray: boolean): Serializer | undefined;
  propertiesOf(dto: Function): Array<[string, Kind]> | undefined;
}
// crest's internals as tsc compiled them for its tests (build/src): not part of the package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crest = require('../../../../build/src/compile/serializer.js') as SerializerModule;

class Address {
  @IsString() street!: string;
  @IsString() city!: string;
}

class Customer {
  @IsInt() id!: number;
  @IsString() name!: string;
  @IsString() email!: string;
  @IsBoolean() active!: boolean;
  @IsNumber() balance!: number;
  @IsString({ each: true }) tags!: string[];
  @IsOptional() @ValidateNested() address!: Address;
}

const customer = (i: number) => ({
  id: i,
  name: `Customer ${i}`,
  email: `c${i}@example.com`,
  active: i % 2 === 0,
  balance: i * 10.5,
  tags: ['gold', 'eu'],
  address: { street: 'Main St 1', city: 'Springfield' },
  passwordHash: 'never sent',
});

// The generated code's own string fast path, so that only the form differs.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const quote = (text: string): string =>
  text.length < 128 && !NEEDS_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text);

/** The plain form: the same property list, one closure per property, composed at boot. */
function plainSerializer(dto: Function): Serializer {
  const value = (kind: Kind): ((v: unknown) => string | undefined) => {
    if (kind === 'string') return (v) => (typeof v === 'string' ? quote(v) : JSON.stringify(v));
    if (kind === 'number')
      return (v) => (typeof v === 'number' ? (Number.isFinite(v) ? `${v}` : 'null') : JSON.stringify(v));
    if (kind === 'boolean') return (v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : JSON.stringify(v));
    if (kind === 'any') return (v) => JSON.stringify(v);
    if ('list' in kind) {
      const item = value(kind.list);
      return (v) => {
        if (!Array.isArray(v)) return JSON.stringify(v);
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + (item(v[i]) ?? 'null');
        return `${s}]`;
      };
    }
    return object(kind.dto);
  };
  const object = (type: Function): ((v: unknown) => string | undefined) => {
    const properties = (crest.propertiesOf(type) ?? []).map(([key, kind]) => ({
      key,
      prefix: `,${JSON.stringify(key)}:`,
      write: value(kind),
    }));
    return (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return JSON.stringify(v);
      let o = '';
      for (let i = 0; i < properties.length; i++) {
        const { key, prefix, write } = properties[i]!;
        const x = (v as Record<string, unknown>)[key];
        const text = x === undefined ? undefined : write(x);
        if (text !== undefined) o += prefix + text;
      }
      return o === '' ? '{}' : `{${o.slice(1)}}`;
    };
  };
  return object(dto);
}

function time(serialize: Serializer, value: unknown, calls: number): number {
  let length = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) length += serialize(value)!.length;
  const ns = Number(process.hrtime.bigint() - started) / calls;
  if (length === 0) throw new Error('nothing serialized');
  return ns;
}

function main(): void {
  const one = customer(1);
  const list = Array.from({ length: 50 }, (_, i) => customer(i));
  const generated = crest.compileSerializer(Customer, false)!;
  const generatedList = crest.compileSerializer(Customer, true)!;
  const plain = plainSerializer(Customer);
  const plainList: Serializer = (v) => {
    let s = '[';
    for (let i = 0; i < (v as unknown[]).length; i++) s += (i > 0 ? ',' : '') + plain((v as unknown[])[i]);
    return `${s}]`;
  };
  if (generated(one) !== plain(one) || generatedList(list) !== plainList(list)) throw new Error('the forms differ');
  if (generated(one)!.includes('passwordHash')) throw new Error('an undeclared field leaked');
  const cases = [
    { name: 'one DTO (ns)', value: one, calls: 200_000, forms: { generated, plain } },
    { name: 'list of 50 (µs)', value: list, calls: 4_000, forms: { generated: generatedList, plain: plainList } },
  ];
  for (const { name, value, calls, forms } of cases) {
    const samples: Record<string, number[]> = { generated: [], plain: [] };
    for (let round = 0; round < 14; round++) {
      const order = round % 2 === 0 ? (['generated', 'plain'] as const) : (['plain', 'generated'] as const);
      for (const form of order) {
        const ns = time(forms[form], value, calls);
        if (round >= 4) samples[form]!.push(ns); // the first rounds warm the JIT
      }
    }
    const [a, b] = [median(samples.generated!), median(samples.plain!)];
    const scale = name.includes('µs') ? 1000 : 1;
    console.log(
      `${name.padEnd(16)} generated ${(a / scale).toFixed(scale === 1 ? 0 : 1)}, plain ${(b / scale).toFixed(scale === 1 ? 0 : 1)}, plain/generated ${(b / a).toFixed(2)}`,
    );
  }
}

main();
