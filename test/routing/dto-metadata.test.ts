import 'reflect-metadata';
import { expect } from 'chai';
import { Exclude, Expose, Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { copiesAsIs, declaredProperties, typeDecorations } from '../../src/routing/dto-metadata';
import type { Class } from '../../src/routing/metadata';
import { withoutDesignTypes } from './support/without-metadata';

class Owner {
  @IsString() name!: string;
}

class Pet {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Owner) owner!: Owner;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Owner) owners?: Owner[];
  @IsOptional() @ValidateNested() untyped?: Owner;
  @IsOptional() @Type(() => Number) @IsInt() count?: number;
  @IsOptional() @Type(() => Date) born?: Date;
}

class Puppy extends Pet {
  @IsString() breed!: string;
}

class RulesOnly {
  @IsString() a!: string;
  @IsInt() b!: number;
}
class Renamed {
  @Expose({ name: 'other' }) @IsString() a!: string;
}
class Excluded {
  @Exclude() @IsString() a!: string;
}
@Exclude()
class ExposedOnly {
  @Expose() @IsString() a!: string;
}
class Trimmed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  a!: string;
}
class EmptyToUndefined {
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsString()
  a!: string;
}
class Converted {
  @Type(() => Number) @IsInt() a!: number;
}

describe('dto-metadata', () => {
  describe('declaredProperties', () => {
    it('lists the properties with class-validator rules, inherited ones included', () => {
      expect(declaredProperties(Puppy).map((property) => property.name)).to.have.members([
        'name',
        'owner',
        'owners',
        'untyped',
        'count',
        'born',
        'breed',
      ]);
    });

    it('gives design:type where the compiler emitted it, and nothing where it did not', () => {
      class Bundled {
        @ValidateNested() @Type(() => Owner) owner!: Owner;
      }
      withoutDesignTypes(Bundled);
      expect(declaredProperties(Pet).find((property) => property.name === 'owner')!.designType).to.equal(Owner);
      expect(declaredProperties(Bundled)[0]!.designType).to.equal(undefined);
    });

    it('is empty for a class without rules', () => {
      class Plain {
        name!: string;
      }
      expect(declaredProperties(Plain)).to.deep.equal([]);
    });
  });

  describe('typeDecorations', () => {
    const names = ['name', 'owner', 'owners', 'untyped', 'count', 'born'];

    it("reads @Type(() => X) through class-transformer's public API, for single values and lists", () => {
      const types = typeDecorations(Pet, names);
      expect(Object.fromEntries(types)).to.deep.equal({ owner: Owner, owners: Owner, count: Number, born: Date });
    });

    it('sees the @Type a parent class declares', () => {
      expect(typeDecorations(Puppy, ['owner', 'breed']).get('owner')).to.equal(Owner);
    });

    it('survives a build without design:type (the @Type is recorded at run time)', () => {
      class Bundled {
        @ValidateNested() @Type(() => Owner) owner!: Owner;
        @IsOptional() @ValidateNested() untyped?: Owner;
      }
      withoutDesignTypes(Bundled);
      expect(Object.fromEntries(typeDecorations(Bundled, ['owner', 'untyped']))).to.deep.equal({ owner: Owner });
    });

    describe('when a property cannot be probed', () => {
      it('still reads the others', () => {
        class Fragile {
          @Transform(() => {
            throw new Error('no');
          })
          @IsString()
          broken!: string;
          @ValidateNested() @Type(() => Owner) owner!: Owner;
        }
        expect(Object.fromEntries(typeDecorations(Fragile, ['broken', 'owner']))).to.deep.equal({ owner: Owner });
      });
    });
  });

  describe('copiesAsIs', () => {
    const cases: Array<[string, Class, boolean]> = [
      ['a DTO with rules only', RulesOnly, true],
      ['@Expose renaming a key', Renamed, false],
      ['@Exclude on a property', Excluded, false],
      ['@Exclude on the class (undeclared keys dropped)', ExposedOnly, false],
      ['@Transform trimming strings', Trimmed, false],
      ["@Transform turning '' into undefined", EmptyToUndefined, false],
      ['@Type(() => Number) converting a plain value', Converted, false],
    ];
    for (const [label, dto, expected] of cases) {
      it(`is ${String(expected)} for ${label}`, () => {
        expect(copiesAsIs(dto, ['a', 'b'])).to.equal(expected);
      });
    }
  });
});
