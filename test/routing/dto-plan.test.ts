import 'reflect-metadata';
import { expect } from 'chai';
import fc from 'fast-check';
import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  getMetadataStorage,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { transformFacts } from '../../src/metadata/dto-metadata';
import { createDtoPlan, type DtoLibraries } from '../../src/compile/dto-plan';
import type { Class } from '../../src/metadata/metadata';

enum Color {
  Red = 'red',
  Blue = 'blue',
}

class Line {
  @IsString() @Length(1, 4) sku!: string;
  @IsInt() @Min(1) qty!: number;
}

class Order {
  @IsString() @MaxLength(5) name!: string;
  @IsNumber() @Max(100) total!: number;
  @IsOptional() @IsBoolean() gift?: boolean;
  @IsIn(['a', 'b']) kind!: string;
  @IsOptional() @IsEnum(Color) color?: Color;
  @IsArray() @ArrayMaxSize(3) @IsString({ each: true }) tags!: string[];
  @IsOptional() @ValidateNested() @Type(() => Line) line?: Line;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Line) lines?: Line[];
  @IsNotEmpty() note!: unknown;
  @IsOptional() @Equals(7) seven?: number;
}

class WithEmail {
  @IsEmail() email!: string;
}

class WithDefault {
  @IsInt() limit = 10;
}

const libraries: DtoLibraries = {
  validation: getMetadataStorage(),
  transform: transformFacts,
};
const options = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

function slowPath(dto: Class, plain: object): { valid: boolean; instance: object } {
  const instance = plainToInstance(dto as new () => object, plain);
  return { valid: validateSync(instance, options).length === 0, instance };
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 7 }),
  fc.constantFrom('a', 'b', 'red', 'blue', '😀', 'e\u0301', '', 'abcd'),
  fc.integer({ min: -5, max: 120 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(7),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 4 }),
  fc.record({ sku: fc.constantFrom('ab', '', 'abcde', 3), qty: fc.constantFrom(1, 0, 2.5, '1') }),
  fc.array(fc.record({ sku: fc.constantFrom('ab', 'x'), qty: fc.constantFrom(1, 0) }), { maxLength: 2 }),
);
const orderLike = fc.dictionary(
  fc.constantFrom('name', 'total', 'gift', 'kind', 'color', 'tags', 'line', 'lines', 'note', 'seven', 'extra'),
  anyValue,
);
/** Mostly valid orders with values at and just past each constraint's bounds. */
const boundaryOrder = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('abcde', 'abcdef')),
    total: fc.oneof(fc.integer({ min: -10, max: 101 }), fc.constantFrom(100, 100.5, 101, Infinity)),
    gift: fc.constantFrom(true, false, true, 'yes'),
    kind: fc.constantFrom('a', 'b', 'a', 'c'),
    color: fc.constantFrom(Color.Red, Color.Blue, Color.Red, 'green'),
    tags: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constant(1)), { maxLength: 4 }),
    line: fc.record({ sku: fc.constantFrom('ab', 'abcd', 'abcde', 'a', ''), qty: fc.constantFrom(1, 9, 1, 0, 2.5) }),
    lines: fc.array(fc.record({ sku: fc.constantFrom('x', ''), qty: fc.constantFrom(1, 0) }), { maxLength: 2 }),
    note: fc.constantFrom('n', 1, true, 'n', '', null),
    seven: fc.constantFrom(7, 8),
  },
  { requiredKeys: ['name', 'total', 'kind', 'tags', 'note'] },
);

/** Orders class-validator accepts. */
const validOrder = fc.record(
  {
    name: fc.string({ maxLength: 5 }),
    total: fc.integer({ min: -10, max: 100 }),
    gift: fc.boolean(),
    kind: fc.constantFrom('a', 'b'),
    color: fc.constantFrom(Color.Red, Color.Blue),
    tags: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
    line: fc.record({ sku: fc.constantFrom('ab', 'abcd'), qty: fc.integer({ min: 1, max: 9 }) }),
    lines: fc.array(fc.record({ sku: fc.constantFrom('x'), qty: fc.constant(1) }), { maxLength: 2 }),
    note: fc.constantFrom('n', 1, true),
  },
  { requiredKeys: ['name', 'total', 'kind', 'tags', 'note'] },
);

describe('createDtoPlan', () => {
  const plan = createDtoPlan(Order, libraries, options)!;

  it('compiles a DTO made of the validators it knows', () => {
    expect(plan).not.to.equal(undefined);
  });

  it('leaves DTOs with unknown validators or field defaults to the libraries', () => {
    expect(createDtoPlan(WithEmail, libraries, options)).to.equal(undefined);
    const withDefault = createDtoPlan(WithDefault, libraries, options)!;
    expect(withDefault.create({})).to.equal(undefined);
  });

  it('never accepts what class-validator refuses, and builds the same instance (random input)', () => {
    fc.assert(
      fc.property(fc.oneof(orderLike, boundaryOrder), (plain) => {
        const fast = plan.create(plain);
        const slow = slowPath(Order, plain);
        if (fast !== undefined) {
          expect(slow.valid, JSON.stringify(plain)).to.equal(true);
          expect(JSON.stringify(fast)).to.equal(JSON.stringify(slow.instance));
          expect(fast).to.be.instanceOf(Order);
          const line = (fast as Order).line;
          if (line) expect(line).to.be.instanceOf(Line);
        }
      }),
      { numRuns: 6000, seed: 42 },
    );
  });

  it('accepts valid input itself, without falling back', () => {
    let accepted = 0;
    fc.assert(
      fc.property(validOrder, (plain) => {
        // eslint-disable-next-line no-misleading-character-class
        const hasUncounted = /[\uD800-\uDFFF\uFE0E\uFE0F]/.test(JSON.stringify(plain));
        if (!hasUncounted && plan.create(plain) !== undefined) accepted++;
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(accepted).to.be.greaterThan(450);
  });
});
