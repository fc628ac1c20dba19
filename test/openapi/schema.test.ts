import 'reflect-metadata';
import { expect } from 'chai';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  ArrayUnique,
  Equals,
  IsBoolean,
  IsBooleanString,
  IsDate,
  IsDateString,
  IsDefined,
  IsDivisibleBy,
  IsEmail,
  IsEnum,
  IsFQDN,
  IsIn,
  IsInt,
  IsIP,
  IsISO8601,
  IsLatitude,
  IsMongoId,
  IsNegative,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SchemaRegistry } from '../../src/openapi/schema';
import type { SchemaObject } from '../../src/openapi/types';

enum Color {
  Red = 'red',
  Green = 'green',
}
enum Level {
  Low,
  High,
}

class Point {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

/** One property per rule under test; the table below says what each must become. */
class Everything {
  @IsString() string!: string;
  @IsInt() int!: number;
  @IsNumber() number!: number;
  @IsBoolean() boolean!: boolean;
  @IsDate() @Type(() => Date) date!: Date;
  @IsObject() object!: object;
  @IsEmail() email!: string;
  @IsUUID() uuid!: string;
  @IsDateString() dateString!: string;
  @IsISO8601() iso!: string;
  @IsUrl() url!: string;
  @IsFQDN() host!: string;
  @IsIP('4') ipv4!: string;
  @IsIP('6') ipv6!: string;
  @IsMongoId() mongo!: string;
  @IsBooleanString() flag!: string;
  @IsEnum(Color) color!: Color;
  @IsEnum(Level) level!: Level;
  @IsIn(['a', 'b']) choice!: string;
  @Equals('fixed') constant!: string;
  @IsInt() @Min(1) @Max(10) bounded!: number;
  @IsPositive() positive!: number;
  @IsNegative() negative!: number;
  @IsDivisibleBy(5) fives!: number;
  @IsLatitude() latitude!: number;
  @IsString() @Length(2, 4) length!: string;
  @IsString() @MinLength(3) @MaxLength(9) lengths!: string;
  @IsString() @IsNotEmpty() notEmpty!: string;
  @Matches(/^\d{7}$/) code!: string;
  @IsString({ each: true }) @ArrayMinSize(1) @ArrayMaxSize(3) @ArrayUnique() names!: string[];
  @Matches(/^\d+$/, { each: true }) @ArrayNotEmpty() digits!: string[];
  @ValidateNested() @Type(() => Point) point!: Point;
  @ValidateNested({ each: true }) @Type(() => Point) points!: Point[];
  @IsOptional() @IsString() optional?: string;
  @ValidateIf((o: Everything) => o.string === 'x') @IsString() conditional?: string;
  @IsOptional() @IsDefined() defined?: string;
  @IsNotEmpty() untyped!: number;
}

const PROPERTIES: Array<[string, SchemaObject]> = [
  ['string', { type: 'string' }],
  ['int', { type: 'integer' }],
  ['number', { type: 'number' }],
  ['boolean', { type: 'boolean' }],
  ['date', { type: 'string', format: 'date-time' }],
  ['object', { type: 'object' }],
  ['email', { type: 'string', format: 'email' }],
  ['uuid', { type: 'string', format: 'uuid' }],
  ['dateString', { type: 'string', format: 'date-time' }],
  ['iso', { type: 'string', format: 'date-time' }],
  ['url', { type: 'string', format: 'uri' }],
  ['host', { type: 'string', format: 'hostname' }],
  ['ipv4', { type: 'string', format: 'ipv4' }],
  ['ipv6', { type: 'string', format: 'ipv6' }],
  ['mongo', { type: 'string', pattern: '^[0-9a-fA-F]{24}$' }],
  ['flag', { type: 'string', enum: ['true', 'false', '1', '0'] }],
  ['color', { type: 'string', enum: ['red', 'green'] }],
  ['level', { type: 'number', enum: [0, 1] }],
  ['choice', { type: 'string', enum: ['a', 'b'] }],
  ['constant', { const: 'fixed' }],
  ['bounded', { type: 'integer', minimum: 1, maximum: 10 }],
  ['positive', { type: 'number', exclusiveMinimum: 0 }],
  ['negative', { type: 'number', exclusiveMaximum: 0 }],
  ['fives', { type: 'number', multipleOf: 5 }],
  ['latitude', { type: 'number', minimum: -90, maximum: 90 }],
  ['length', { type: 'string', minLength: 2, maxLength: 4 }],
  ['lengths', { type: 'string', minLength: 3, maxLength: 9 }],
  ['notEmpty', { type: 'string', minLength: 1 }],
  ['code', { type: 'string', pattern: '^\\d{7}$' }],
  ['names', { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { type: 'string' } }],
  ['digits', { type: 'array', minItems: 1, items: { type: 'string', pattern: '^\\d+$' } }],
  ['point', { $ref: '#/components/schemas/Point' }],
  ['points', { type: 'array', items: { $ref: '#/components/schemas/Point' } }],
  // IsOptional lets null through too (and the serializer writes it): documented in both directions.
  ['optional', { type: ['string', 'null'] }],
  ['conditional', { type: 'string' }],
  ['defined', { type: 'string' }],
  ['untyped', { type: 'number' }],
];

describe('SchemaRegistry', () => {
  describe('when a DTO uses each class-validator rule', () => {
    const registry = new SchemaRegistry();
    const ref = registry.schemaFor(Everything);
    const schema = registry.schemas.Everything!;

    it('registers the DTO once and refers to it', () => {
      expect(ref).to.deep.equal({ $ref: '#/components/schemas/Everything' });
      expect(registry.schemaFor(Everything)).to.deep.equal(ref);
      expect(schema.type).to.equal('object');
    });

    for (const [property, expected] of PROPERTIES) {
      it(`maps ${property} to ${JSON.stringify(expected)}`, () => {
        expect(schema.properties![property]).to.deep.equal(expected);
      });
    }

    it('requires every property but the optional and conditional ones', () => {
      const optional = ['optional', 'conditional'];
      const expected = PROPERTIES.map(([name]) => name).filter((name) => !optional.includes(name));
      expect(schema.required).to.have.members(expected);
    });

    it('registers nested DTOs as their own schemas', () => {
      expect(registry.schemas.Point).to.deep.equal({
        type: 'object',
        properties: { x: { type: 'number' }, y: { type: 'number' } },
        required: ['x', 'y'],
      });
    });
  });

  describe('when DTOs refer to themselves or share a name', () => {
    class Node {
      @IsString() name!: string;
      @IsOptional() @ValidateNested({ each: true }) @Type(() => Node) children?: Node[];
    }
    const First = (() => {
      class Item {
        @IsString() a!: string;
      }
      return Item;
    })();
    const Second = (() => {
      class Item {
        @IsInt() b!: number;
      }
      return Item;
    })();

    it('refers to a recursive DTO by $ref', () => {
      const registry = new SchemaRegistry();
      registry.schemaFor(Node);
      expect(registry.schemas.Node!.properties!.children).to.deep.equal({
        type: ['array', 'null'],
        items: { $ref: '#/components/schemas/Node' },
      });
    });

    it('gives two classes with one name two entries', () => {
      const registry = new SchemaRegistry();
      expect(registry.schemaFor(First)).to.deep.equal({ $ref: '#/components/schemas/Item' });
      expect(registry.schemaFor(Second)).to.deep.equal({ $ref: '#/components/schemas/Item2' });
      expect(registry.schemas.Item2!.properties).to.deep.equal({ b: { type: 'integer' } });
    });

    it('keeps names already taken (crest’s own schemas) for them', () => {
      const registry = new SchemaRegistry({ Point: { type: 'string' } });
      expect(registry.schemaFor(Point)).to.deep.equal({ $ref: '#/components/schemas/Point2' });
    });
  });

  describe('when a DTO inherits', () => {
    class Base {
      @IsString() id!: string;
    }
    class Derived extends Base {
      @IsInt() count!: number;
    }

    it('includes the parent class’s properties', () => {
      const registry = new SchemaRegistry();
      registry.schemaFor(Derived);
      expect(Object.keys(registry.schemas.Derived!.properties!)).to.have.members(['id', 'count']);
    });
  });

  describe('when given built-in types', () => {
    const cases: Array<[string, unknown, SchemaObject]> = [
      ['String', String, { type: 'string' }],
      ['Number', Number, { type: 'number' }],
      ['Boolean', Boolean, { type: 'boolean' }],
      ['Date', Date, { type: 'string', format: 'date-time' }],
      ['[String]', [String], { type: 'array', items: { type: 'string' } }],
      ['[Number]', [Number], { type: 'array', items: { type: 'number' } }],
      ['Buffer', Buffer, { type: 'string', format: 'binary' }],
      ['Object', Object, {}],
    ];
    for (const [name, type, expected] of cases) {
      it(`maps ${name} inline`, () => {
        expect(new SchemaRegistry().schemaFor(type)).to.deep.equal(expected);
      });
    }
  });
});
