import 'reflect-metadata';
import { expect } from 'chai';
import { Exclude, Expose, Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import {
  copiesAsIs,
  declaredProperties,
  keepsKeys,
  nestedDtoTypes,
  typeDecorations,
} from '../../src/metadata/dto-metadata';
import type { Class } from '../../src/metadata/metadata';
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
class Emptied {
  @Transform(() => undefined) @IsString() a!: string;
}
class Discriminated {
  @ValidateNested()
  @Type(() => Owner, { discriminator: { property: 'kind', subTypes: [{ name: 'pet', value: Pet }] } })
  child!: Owner | Pet;
  @ValidateNested() @Type(() => Owner) owner!: Owner;
  @IsOptional() @Type(() => Map) tags?: Map<string, string>;
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

  describe('nestedDtoTypes', () => {
    it('gives the DTO classes of @Type, leaving out built-ins and the classes a discriminator picks per value', () => {
      const { classes, perValue } = nestedDtoTypes(Discriminated, ['child', 'owner', 'tags']);
      expect(Object.fromEntries(classes)).to.deep.equal({ owner: Owner });
      expect([...perValue]).to.deep.equal([['child', 'kind']]);
    });
  });

  describe('copiesAsIs and keepsKeys', () => {
    // What class-transformer does to a plain value: [label, DTO, copies it as is, keeps its keys].
    const cases: Array<[string, Class, boolean, boolean]> = [
      ['a DTO with rules only', RulesOnly, true, true],
      ['@Expose renaming a key', Renamed, false, false],
      ['@Exclude on a property', Excluded, false, false],
      ['@Exclude on the class (undeclared keys dropped)', ExposedOnly, false, false],
      ['@Transform trimming strings', Trimmed, false, true],
      ["@Transform turning '' into undefined", EmptyToUndefined, false, true],
      ['@Transform emptying every value', Emptied, false, false],
      ['@Type(() => Number) converting a plain value', Converted, false, true],
    ];
    for (const [label, dto, copies, keeps] of cases) {
      it(`copiesAsIs is ${String(copies)} and keepsKeys ${String(keeps)} for ${label}`, () => {
        expect(copiesAsIs(dto, ['a', 'b'])).to.equal(copies);
        expect(keepsKeys(dto, ['a', 'b'])).to.equal(keeps);
      });
    }
  });
});
