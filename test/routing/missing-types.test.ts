import { expect } from 'chai';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Body, Controller, Cookie, createApp, Get, Header, Param, Post, Query, ResponseSchema } from '../../src';
import { compileSnippets } from './support/compile-snippets';
import { withoutDesignTypes } from './support/without-metadata';
import { bootError } from './support/boot-error';

/** The problems a boot error lists, one per line. */
const problems = (error: Error): string[] =>
  error.message
    .split('\n')
    .filter((line) => line.startsWith('  - '))
    .map((line) => line.slice(4));

/** The code a boot error suggests, in backticks. */
const snippets = (error: Error): string[] => [...error.message.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

// What an esbuild bundle of these classes carries: decorators' records, no design types.
class BundledOwner {
  @IsString() name!: string;
}
class BundledPet {
  @IsString() name!: string;
  @ValidateNested() owner!: BundledOwner;
  @IsOptional() @ValidateNested({ each: true }) owners?: BundledOwner[];
}
class BundledSearch {
  @IsOptional() @IsInt() limit?: number;
  @IsOptional() @IsString() q?: string;
}
@Controller('/pets')
class BundledPets {
  @Get('/:id') @ResponseSchema(BundledPet) show(@Param('id') id: number, @Header('x-tenant') tenant: string) {
    return { id, tenant };
  }
  @Post('/') create(@Body() input: BundledPet, @Cookie('session') session: string) {
    return { input, session };
  }
}
@Controller('/search')
class BundledSearches {
  @Get('/') find(@Query() query: BundledSearch, @Query('page') page: number) {
    return { query, page };
  }
}
withoutDesignTypes(BundledOwner, BundledPet, BundledSearch, BundledPets, BundledSearches);

describe('createApp with missing types', () => {
  describe('when a bundle dropped the decorator metadata', () => {
    it('lists every missing type of the whole app in one CREST_MISSING_TYPE error', () => {
      const error = bootError([BundledPets, BundledSearches]);
      expect(error.code).to.equal('CREST_MISSING_TYPE');
      const listed = problems(error);
      expect(listed).to.have.length(8);
      for (const where of [
        'BundledPets.show, parameter 0',
        'BundledPets.show, parameter 1',
        'BundledPets.create, parameter 0',
        'BundledPets.create, parameter 1',
        'BundledSearches.find, parameter 0',
        'BundledSearches.find, parameter 1',
        'BundledPet.owner',
        'BundledPet.owners',
      ]) {
        expect(
          listed.some((problem) => problem.startsWith(where)),
          where,
        ).to.equal(true);
      }
    });

    it('says what to add for a nested DTO: @Type(() => X) from class-transformer', () => {
      const listed = problems(bootError([BundledPets]));
      expect(listed.find((problem) => problem.startsWith('BundledPet.owner:'))).to.include('`@Type(() => Owner)`');
      expect(listed.find((problem) => problem.startsWith('BundledPet.owners:'))).to.include('`@Type(() => Owner)`');
    });

    it('asks for the type a query DTO number must be converted to', () => {
      class Paging {
        @IsOptional() @IsInt() limit?: number;
      }
      @Controller()
      class C {
        @Get('/') list(@Query(Paging) paging: Paging) {
          return paging;
        }
      }
      withoutDesignTypes(Paging, C);
      const error = bootError([C]);
      expect(problems(error)).to.deep.equal([
        'Paging.limit: a query value is text and this property has no type to convert it to; add `@Type(() => Number)` from class-transformer.',
      ]);
    });

    it('boots and serves once every type is given, with no field the DTOs do not declare', async () => {
      class Owner {
        @IsString() name!: string;
      }
      class Pet {
        @IsString() name!: string;
        @ValidateNested() @Type(() => Owner) owner!: Owner;
        @IsOptional() @ValidateNested({ each: true }) @Type(() => Owner) owners?: Owner[];
        @IsOptional() @ValidateNested() @Type(() => Owner) vet?: Owner;
      }
      class Paging {
        @IsOptional() @Type(() => Number) @IsInt() limit?: number;
      }
      @Controller()
      class C {
        @Get('/pets/:id') @ResponseSchema(Pet) show(@Param('id', { type: Number }) id: number) {
          const owner = { name: 'Ann', passwordHash: 'HASH!' };
          return { name: 'Rex', id, owner, owners: [owner], vet: owner };
        }
        @Post('/pets') create(@Body(Pet) pet: Pet) {
          return pet;
        }
        @Get('/pets') list(@Query(Paging) paging: Paging) {
          return paging;
        }
      }
      withoutDesignTypes(Owner, Pet, Paging, C);
      const app = createApp({ controllers: [C] });
      const shown = await app.inject({ url: '/pets/1' });
      expect(shown.body).to.equal(
        '{"name":"Rex","owner":{"name":"Ann"},"owners":[{"name":"Ann"}],"vet":{"name":"Ann"}}',
      );
      const body = { name: 'Rex', owner: { name: 'Ann' } };
      expect((await app.inject({ method: 'POST', url: '/pets', body })).json()).to.deep.equal(body);
      const bad = await app.inject({ method: 'POST', url: '/pets', body: { name: 'Rex', owner: { name: 1 } } });
      expect(bad.statusCode).to.equal(400);
      expect(bad.json<{ errors: Array<{ path: string }> }>().errors.map((issue) => issue.path)).to.deep.equal([
        'owner.name',
      ]);
      expect((await app.inject({ url: '/pets?limit=5' })).json()).to.deep.equal({ limit: 5 });
    });
  });

  describe('when tsc emitted the metadata', () => {
    class Owner {
      @IsString() name!: string;
    }
    class Pet {
      @IsString() name!: string;
      @ValidateNested() owner!: Owner;
    }

    it('refuses a request DTO nesting a DTO without @Type, naming the class to add', () => {
      @Controller()
      class C {
        @Post('/') create(@Body() pet: Pet) {
          return pet;
        }
      }
      // class-transformer builds nested instances from @Type alone: without it, valid input failed
      // validation with { path: 'owner.undefined', code: 'unknownValue' }.
      const error = bootError([C]);
      expect(error.code).to.equal('CREST_MISSING_TYPE');
      expect(problems(error)).to.deep.equal([
        'Pet.owner: @ValidateNested() has no class to validate it with; add `@Type(() => Owner)` from class-transformer.',
      ]);
    });

    it('serializes a response DTO from design:type where @Type is missing', async () => {
      @Controller()
      class C {
        @Get('/') @ResponseSchema(Pet) show() {
          return { name: 'Rex', owner: { name: 'Ann', passwordHash: 'HASH!' } };
        }
      }
      const app = createApp({ controllers: [C] });
      expect((await app.inject({ url: '/' })).body).to.equal('{"name":"Rex","owner":{"name":"Ann"}}');
    });
  });

  describe('the code each problem suggests', () => {
    it('compiles against the decorators it names', function () {
      this.timeout(60_000);
      const suggested = snippets(bootError([BundledPets, BundledSearches]));
      expect(suggested).to.include.members([
        "@Param('id', { type: Number })",
        "@Header('x-tenant', { type: Number })",
        "@Cookie('session', { type: Number })",
        "@Query('page', { type: Number })",
        '@Body(YourDto)',
        '@Query(YourDto)',
        '@Type(() => Owner)',
      ]);
      expect(compileSnippets(suggested)).to.deep.equal([]);
    });

    it('is checked by a compiler that refuses what an earlier version suggested', function () {
      this.timeout(60_000);
      expect(compileSnippets(['@Query({ type: Number })'])).to.have.length(1);
    });
  });
});
