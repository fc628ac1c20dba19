import 'reflect-metadata';
import { expect } from 'chai';
import { Exclude, Expose, Transform, Type } from 'class-transformer';
import {
  getMetadataStorage,
  IsInt,
  IsString,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { transformFacts } from '../../src/metadata/dto-metadata';
import type { DtoLibraries } from '../../src/compile/dto-plan';
import { createDtoShape } from '../../src/compile/dto-shape';
import type { Class } from '../../src/metadata/metadata';

@ValidatorConstraint({ name: 'free', async: true })
class Free implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

class Plain {
  @IsString() name!: string;
}

class AsyncLeaf {
  @Validate(Free) name!: string;
}

class Branch {
  @IsInt() n!: number;
  @ValidateNested() @Type(() => AsyncLeaf) leaf!: AsyncLeaf;
}

class Tree {
  @IsString() name!: string;
  @ValidateNested({ each: true }) @Type(() => Tree) children!: Tree[];
}

class Untyped {
  @ValidateNested() owner!: Plain;
}

class Discriminated {
  @ValidateNested()
  @Type(() => Plain, { discriminator: { property: 'kind', subTypes: [{ name: 'leaf', value: AsyncLeaf }] } })
  child!: Plain | AsyncLeaf;
}

class Renamed {
  @Expose({ name: 'full_name' }) @IsString() name!: string;
  @Exclude() secret?: string;
  @ValidateNested() @Type(() => Renamed) @Expose({ name: 'next_one' }) next?: Renamed;
}

@Exclude()
class ExposedOnly {
  @Expose() @IsString() name!: string;
}

class Lowered {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsString()
  email!: string;
}

const libraries: DtoLibraries = {
  validation: getMetadataStorage(),
  transform: transformFacts,
};
const shapeOf = (dto: Class) => createDtoShape(dto, libraries, {});

describe('createDtoShape', () => {
  describe('when a DTO has asynchronous constraints', () => {
    const cases: Array<[string, Class, boolean]> = [
      ['only synchronous ones', Plain, false],
      ['one of its own', AsyncLeaf, true],
      ['one in a nested DTO', Branch, true],
      ['a self-reference and none', Tree, false],
      ['a nested DTO without @Type', Untyped, false],
      ['a nested type known only per value', Discriminated, true],
    ];
    for (const [name, dto, async] of cases) {
      it(`${async ? 'is' : 'is not'} async with ${name}`, () => {
        expect(shapeOf(dto).async).to.equal(async);
      });
    }
  });

  describe('when reading the declared keys', () => {
    it('follows nested DTOs, self-references included', () => {
      const keys = shapeOf(Tree).keys!;
      expect([...keys.keys.keys()]).to.have.members(['name', 'children']);
      expect(keys.keys.get('children')).to.equal(keys);
      expect(keys.keys.get('name')).to.equal(null);
    });

    it('reads the keys of a DTO whose @Transform changes only values', () => {
      expect([...shapeOf(Lowered).keys!.keys.keys()]).to.deep.equal(['email']);
    });

    it('reads the plain keys of a DTO whose keys class-transformer renames, and judges the others one by one', () => {
      const shape = shapeOf(Renamed);
      expect(shape.renamed).to.equal(true);
      const keys = shape.keys!;
      // A renamed property is reached by its plain name only (its own is overwritten).
      expect([...keys.keys.keys()]).to.have.members(['full_name', 'next_one']);
      expect(keys.undeclared!('name')).to.equal(false);
      expect(keys.keys.get('next_one')).to.equal(keys);
      expect(keys.keys.get('full_name')).to.equal(null);
      // Copied under its own name: the whitelist refuses it. Dropped by @Exclude: it never arrives.
      expect(keys.undeclared!('nickname')).to.equal(true);
      expect(keys.undeclared!('secret')).to.equal(false);
      expect(keys.undeclared!('__proto__')).to.equal(false);
    });

    it('leaves a DTO that drops every undeclared key to the libraries: none is refused', () => {
      expect(shapeOf(ExposedOnly).keys).to.equal(null);
    });
  });
});
