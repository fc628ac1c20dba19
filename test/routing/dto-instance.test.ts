import 'reflect-metadata';
import { expect } from 'chai';
import { Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { getMetadataStorage, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { createInstanceBuilder } from '../../src/compile/dto-instance';
import { transformFacts } from '../../src/metadata/dto-metadata';
import type { DtoLibraries } from '../../src/compile/dto-plan';
import type { Class } from '../../src/metadata/metadata';

class Line {
  @IsInt() qty!: number;
  @IsOptional() @IsString() note = 'none';
}

class Basket {
  @IsString() name!: string;
  @IsOptional() @IsObject() meta?: Record<string, unknown>;
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
  @IsOptional() @ValidateNested() @Type(() => Basket) parent?: Basket;
  get total(): number {
    return this.lines.length;
  }
  describe(): string {
    return this.name;
  }
}

class Renamed {
  @Expose({ name: 'full_name' }) @IsString() name!: string;
}

class Trimmed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  name!: string;
}

class Converted {
  @Type(() => Number) @IsInt() qty!: number;
}

class HoldsConverted {
  @ValidateNested() @Type(() => Converted) converted!: Converted;
}

const libraries: DtoLibraries = {
  validation: getMetadataStorage(),
  transform: transformFacts,
};

describe('createInstanceBuilder', () => {
  describe('when class-transformer would only copy and nest', () => {
    const build = createInstanceBuilder(Basket, libraries)!;
    const inputs: Array<[string, object]> = [
      ['declared values', { name: 'a', lines: [{ qty: 1 }, { qty: 2, note: 'x' }] }],
      ['nested arrays, nulls and primitives', { name: 'a', lines: [[{ qty: 1 }], null, 3], parent: 'p' }],
      ['a recursive DTO', { name: 'a', lines: [], parent: { name: 'b', lines: [{ qty: 1 }], parent: null } }],
      ['undeclared keys, in order', { z: 1, name: 'a', lines: [], y: [1, 2] }],
      ['keys naming methods, getters and constructor', { name: 'a', lines: [], describe: 1, total: 2, constructor: 3 }],
      ['a free-form value', { name: 'a', lines: [], meta: { a: [1, { b: 2 }] } }],
    ];
    for (const [name, plain] of inputs) {
      it(`builds what plainToInstance builds from ${name}`, () => {
        const expected = plainToInstance(Basket, plain);
        const built = build(plain);
        expect(built).to.be.instanceOf(Basket);
        expect(built).to.deep.equal(expected);
        expect(Object.keys(built)).to.deep.equal(Object.keys(expected));
      });
    }

    it('keeps a free-form value itself, as the fast path does', () => {
      const meta = { toString: 1, entries: [1] };
      expect((build({ name: 'a', lines: [], meta }) as Basket).meta).to.equal(meta);
    });
  });

  describe('when class-transformer does more than copy', () => {
    const cases: Array<[string, Class]> = [
      ['@Expose renames a key', Renamed],
      ['@Transform changes a value', Trimmed],
      ['@Type converts a plain value', Converted],
      ['a nested DTO does', HoldsConverted],
    ];
    for (const [name, dto] of cases) {
      it(`leaves the DTO to class-transformer: ${name}`, () => {
        expect(createInstanceBuilder(dto, libraries)).to.equal(undefined);
      });
    }
  });
});
