import { expect } from 'chai';
import { Exclude, Expose, Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  Body,
  Controller,
  createApp,
  Post,
  Query,
  Req,
  ResponseSchema,
  ValidationError,
  type App,
  type HttpRequest,
} from '../../src';
import {
  albMultiTransport,
  albSingleTransport,
  restApiTransport,
  transports,
  type Client,
  type ClientResponse,
} from '../conformance/transports';

class Item {
  @IsInt() qty!: number;
}

/** Every rule has a compiled check: valid input takes the fast path. */
class Order {
  @IsString() name!: string;
  @IsOptional() @IsInt() qty?: number;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
  @IsOptional() @IsArray() tags?: unknown[];
}

/** `@Expose`/`@Exclude` rename and drop keys: class-transformer builds the instance. */
class Renamed {
  @Expose({ name: 'full_name' }) @IsString() name!: string;
  @Exclude() secret?: unknown;
  @IsOptional() @ValidateNested() @Type(() => Renamed) @Expose({ name: 'next_one' }) next?: Renamed;
}

class Cat {
  @IsString() name!: string;
}

class Dog {
  @IsString() name!: string;
  @IsOptional() @IsArray() toys?: string[];
}

const PET_TYPES = {
  discriminator: {
    property: 'kind',
    subTypes: [
      { name: 'cat', value: Cat },
      { name: 'dog', value: Dog },
    ],
  },
};

/** `@Type` with a discriminator: class-transformer picks the class by each value's `kind`. */
class Pets {
  @IsOptional() @ValidateNested() @Type(() => Object, PET_TYPES) pet?: Cat | Dog;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Object, PET_TYPES) pets?: Array<Cat | Dog>;
}

/** `@IsObject()` has no compiled check: every body goes through class-transformer and class-validator. */
class LooseOrder {
  @IsString() name!: string;
  @IsOptional() @IsObject() meta?: object;
  @IsOptional() @IsArray() tags?: unknown[];
}

/** The usual "is this name taken" rule: it can only be checked asynchronously. */
@ValidatorConstraint({ name: 'nameIsFree', async: true })
class NameIsFree implements ValidatorConstraintInterface {
  async validate(name: unknown): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    return name !== 'taken';
  }
  defaultMessage(): string {
    return 'name is taken';
  }
}

/** The same rule with `async: true` forgotten: an `async` method is found all the same. */
@ValidatorConstraint({ name: 'nameIsFree' })
class NameIsFreeUndeclared extends NameIsFree {}

class Signup {
  @IsString() @Validate(NameIsFree) name!: string;
}

class SignupUndeclared {
  @IsString() @Validate(NameIsFreeUndeclared) name!: string;
}

class Team {
  @IsString() title!: string;
  @ValidateNested() @Type(() => Signup) owner!: Signup;
}

/** Items under a DTO without a compiled check. */
class LooseItems {
  @IsString() name!: string;
  @IsOptional() @IsObject() meta?: object;
  @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

/** A recursive DTO, answered through its compiled serializer. */
class Tree {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() @Type(() => Tree) child?: Tree;
}

/** The same tree, with a rule that has no compiled check (class-validator path). */
class LooseTree {
  @IsString() name!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => LooseTree) child?: LooseTree;
}

class Search {
  @IsOptional() @IsString() q?: string;
}

@Controller()
class DtoController {
  @Post('/order') order(@Body() order: Order) {
    return order;
  }
  @Post('/renamed') renamed(@Body() renamed: Renamed) {
    return { name: renamed.name, next: renamed.next?.name ?? null };
  }
  @Post('/pets') pets(@Body() pets: Pets) {
    return { pet: pets.pet?.name ?? null, pets: pets.pets?.length ?? 0 };
  }
  @Post('/loose') loose(@Body() order: LooseOrder) {
    return order;
  }
  @Post('/any') any(@Body() body: object) {
    return body;
  }
  @Post('/json') json(@Req() req: HttpRequest) {
    return { parsed: req.json() };
  }
  @Post('/text') text(@Req() req: HttpRequest) {
    return { text: req.text(), form: req.form() };
  }
  @Post('/signup') signup(@Body() signup: Signup) {
    return signup;
  }
  @Post('/signup-undeclared') signupUndeclared(@Body() signup: SignupUndeclared) {
    return signup;
  }
  @Post('/team') team(@Body() team: Team, @Query() search: Search) {
    return { team, search };
  }
  @Post('/loose-items') looseItems(@Body() order: LooseItems) {
    return order;
  }
  @Post('/tree') @ResponseSchema(Tree) tree(@Body() tree: Tree) {
    return tree;
  }
  @Post('/loose-tree') looseTree(@Body() tree: LooseTree) {
    return tree;
  }
  @Post('/search') search(@Query() search: Search) {
    return search;
  }
  @Post('/problems') problems() {
    throw new ValidationError(
      Array.from({ length: 1000 }, (_, i) => ({ in: 'body' as const, path: `p${i}`, code: 'c', message: 'm' })),
    );
  }
}

const JSON_TYPE = { 'content-type': 'application/json' };

function unknownKeys(prefix: string, count: number, suffix: string): string {
  const keys = Array.from({ length: count }, (_, i) => `,"k${i}":1`);
  return `${prefix}${keys.join('')}${suffix}`;
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

interface Problem {
  code: string;
  errors?: Array<{ in: string; path: string; code: string; message: string }>;
  omittedErrors?: number;
}

function problemOf(response: ClientResponse): Problem {
  expect(response.headers['content-type']).to.match(/^application\/problem\+json/);
  return JSON.parse(response.body) as Problem;
}

/** Runs `body` once per transport against one app built from the controller above. */
function overEveryTransport(body: (client: () => Client) => void, only = transports): void {
  for (const transport of only) {
    describe(`over ${transport.name}`, () => {
      let client: Client;
      before(async () => {
        client = await transport.start(createApp({ controllers: [DtoController] }));
      });
      after(async () => {
        await client.close();
      });
      body(() => client);
    });
  }
}

describe('DTO input', () => {
  describe('when a body has more unknown keys than a problem lists', () => {
    overEveryTransport((client) => {
      it('refuses it with the first 20 and a count of the rest, at every DTO level', async () => {
        for (const [url, body, parent] of [
          ['/order', unknownKeys('{"name":"a"', 5000, '}'), ''],
          ['/order', unknownKeys('{"name":"a","items":[{"qty":1},{"qty":2', 5000, '}]}'), 'items.1.'],
          ['/loose', unknownKeys('{"name":"a"', 5000, '}'), ''],
        ] as const) {
          const response = await client().send({ method: 'POST', url, headers: JSON_TYPE, body });
          expect(response.statusCode, url).to.equal(400);
          const problem = problemOf(response);
          expect(problem.code).to.equal('CREST_VALIDATION');
          expect(problem.errors).to.have.length(20);
          expect(problem.errors![0]).to.deep.equal({
            in: 'body',
            path: `${parent}k0`,
            code: 'whitelistValidation',
            message: 'property k0 should not exist',
          });
          expect(problem.omittedErrors).to.equal(4980);
        }
      });

      it('leaves a few to class-validator, listed with the other problems', async () => {
        const body = '{"name":7,"k0":1,"items":[{"qty":"x","k1":2}]}';
        const response = await client().send({ method: 'POST', url: '/order', headers: JSON_TYPE, body });
        const problem = problemOf(response);
        expect(problem.errors!.map((issue) => `${issue.path} ${issue.code}`)).to.have.members([
          'k0 whitelistValidation',
          'name isString',
          'items.0.k1 whitelistValidation',
          'items.0.qty isInt',
        ]);
        expect(problem.omittedErrors).to.equal(undefined);
      });

      it("refuses a large body's unknown keys from its bytes, whatever their values hold, listing those alone", async () => {
        // Objects of 1,000 members under one unknown key: costly to parse, and for a renamed DTO
        // to copy, for an answer the key alone gives.
        const wide = `{${Array.from({ length: 1000 }, (_, i) => `"m${i}":1`).join(',')}}`;
        const big = `[${Array.from({ length: 4 }, () => wide).join(',')}]`;
        for (const [url, body, path] of [
          ['/order', `{"name":7,"k0":${big}}`, 'k0'],
          ['/loose', `{"name":7,"k0":${big}}`, 'k0'],
          ['/renamed', `{"full_name":7,"k0":${big}}`, 'k0'],
          ['/renamed', `{"full_name":"a","next_one":{"full_name":7,"k0":${big}}}`, 'next.k0'],
        ] as const) {
          const response = await client().send({ method: 'POST', url, headers: JSON_TYPE, body });
          expect(response.statusCode, url).to.equal(400);
          const problem = problemOf(response);
          expect(
            problem.errors!.map((issue) => `${issue.path} ${issue.code}`),
            url,
          ).to.deep.equal([`${path} whitelistValidation`]);
        }
      });

      it("judges a renamed DTO's keys as class-transformer does: renamed ones reach their property, dropped ones never arrive", async () => {
        const wide = `{${Array.from({ length: 1000 }, (_, i) => `"m${i}":1`).join(',')}}`;
        const big = `[${Array.from({ length: 4 }, () => wide).join(',')}]`;
        for (const body of [
          `{"full_name":"a","secret":${big},"next_one":{"full_name":"b"}}`,
          `{"full_name":"a","next_one":{"full_name":"b","secret":${big}}}`,
        ]) {
          const response = await client().send({ method: 'POST', url: '/renamed', headers: JSON_TYPE, body });
          expect(response.statusCode, body.slice(0, 60)).to.equal(200);
          expect(JSON.parse(response.body)).to.deep.equal({ name: 'a', next: 'b' });
        }
        // A small body's unknown keys are listed among the other problems, as class-validator finds them.
        const response = await client().send({
          method: 'POST',
          url: '/renamed',
          headers: JSON_TYPE,
          body: '{"full_name":7,"k0":1,"next_one":{"full_name":"b","k1":2}}',
        });
        expect(problemOf(response).errors!.map((issue) => `${issue.path} ${issue.code}`)).to.have.members([
          'k0 whitelistValidation',
          'name isString',
          'next.k1 whitelistValidation',
        ]);
      });

      it('judges a discriminated value by the class its member names, wherever the member sits', async () => {
        const wide = `{${Array.from({ length: 1000 }, (_, i) => `"m${i}":1`).join(',')}}`;
        const big = `[${Array.from({ length: 4 }, () => wide).join(',')}]`;
        const cats = Array.from({ length: 70 }, (_, i) => `{"kind":"cat","name":"c${i}"}`).join(',');
        for (const [body, problems] of [
          [`{"pet":{"kind":"cat","name":"a","x":${big}}}`, ['pet.x whitelistValidation']],
          [`{"pet":{"name":"a","x":${big},"kind":"cat"}}`, ['pet.x whitelistValidation']],
          [`{"pet":{"kind":"cow","x":${big}}}`, ['pet unknownValue']],
          [`{"pet":{"x":${big}}}`, ['pet unknownValue']],
          [`{"pets":[${cats},{"kind":"cat","name":"b","x":${big}}]}`, ['pets.70.x whitelistValidation']],
        ] as const) {
          const response = await client().send({ method: 'POST', url: '/pets', headers: JSON_TYPE, body });
          expect(response.statusCode, body.slice(0, 60)).to.equal(400);
          const problem = problemOf(response);
          expect(problem.errors!.map((issue) => `${issue.path} ${issue.code}`)).to.deep.equal(problems);
        }
        // A subtype named twice: JSON.parse keeps the last, a reader of the first would judge
        // another class. Refused, whatever the size.
        for (const body of [
          '{"pet":{"kind":"cat","name":"a","kind":"dog"}}',
          `{"pets":[${cats},{"kind":"dog","kind":"cat","name":"b"}]}`,
        ]) {
          const twice = await client().send({ method: 'POST', url: '/pets', headers: JSON_TYPE, body });
          expect(twice.statusCode).to.equal(400);
          expect(problemOf(twice).code).to.equal('CREST_INVALID_JSON');
        }
        // What class-validator says of a small body, crest says of a large one, word for word.
        const small = await client().send({
          method: 'POST',
          url: '/pets',
          headers: JSON_TYPE,
          body: '{"pet":{"kind":"cow"}}',
        });
        const large = await client().send({
          method: 'POST',
          url: '/pets',
          headers: JSON_TYPE,
          body: `{"pet":{"kind":"cow","x":${big}}}`,
        });
        expect(problemOf(large).errors).to.deep.equal(problemOf(small).errors);
        // A large valid body of each subtype passes.
        const toys = Array.from({ length: 3000 }, (_, i) => `"toy ${i}"`).join(',');
        const valid = await client().send({
          method: 'POST',
          url: '/pets',
          headers: JSON_TYPE,
          body: `{"pet":{"name":"Rex","toys":[${toys}],"kind":"dog"},"pets":[${cats}]}`,
        });
        expect(valid.statusCode).to.equal(200);
        expect(JSON.parse(valid.body)).to.deep.equal({ pet: 'Rex', pets: 70 });
      });

      it('refuses as many unknown query keys the same way', async () => {
        const query = Array.from({ length: 300 }, (_, i) => `k${i}=1`).join('&');
        const response = await client().send({ method: 'POST', url: `/search?${query}` });
        expect(response.statusCode).to.equal(400);
        const problem = problemOf(response);
        expect(problem.errors).to.have.length(20);
        expect(problem.errors![0]).to.include({ in: 'query', path: 'k0', code: 'whitelistValidation' });
        expect(problem.omittedErrors).to.equal(280);
      });
    });
  });

  describe('when every item of a long array of nested DTOs is wrong', () => {
    overEveryTransport((client) => {
      for (const url of ['/order', '/loose-items']) {
        it(`lists the first 20 items' problems through ${url}, as for a short array`, async () => {
          const items = (count: number) => Array.from({ length: count }, () => '{"qty":"x"}').join(',');
          const long = await client().send({
            method: 'POST',
            url,
            headers: JSON_TYPE,
            body: `{"name":"a","items":[${items(50_000)}]}`,
          });
          expect(long.statusCode).to.equal(400);
          const problem = problemOf(long);
          expect(problem.errors).to.have.length(20);
          expect(problem.omittedErrors).to.be.at.least(1);
          const short = await client().send({
            method: 'POST',
            url,
            headers: JSON_TYPE,
            body: `{"name":"a","items":[${items(30)}]}`,
          });
          expect(problem.errors).to.deep.equal(problemOf(short).errors);
          expect(problem.errors![19]).to.deep.equal({
            in: 'body',
            path: 'items.19.qty',
            code: 'isInt',
            message: 'qty must be an integer number',
          });
        });

        it(`refuses them through ${url} from the first items alone, before the rest is parsed`, async () => {
          // The tail is not even JSON: only a body parsed in full would be refused for that. Bodies
          // from 16 KiB on are sampled before parsing (smaller ones parse in microseconds).
          const items = Array.from({ length: 2000 }, () => '{"qty":"x"}').join(',');
          const response = await client().send({
            method: 'POST',
            url,
            headers: JSON_TYPE,
            body: `{"name":"a","items":[${items},{"qty":tru}]}`,
          });
          expect(response.statusCode).to.equal(400);
          expect(problemOf(response).code).to.equal('CREST_VALIDATION');
        });

        it(`finds bad items after many good ones through ${url}, and stops at a problem's worth`, async () => {
          const good = Array.from({ length: 1000 }, () => '{"qty":1}');
          const bad = Array.from({ length: 1000 }, () => '{"qty":"x"}');
          const response = await client().send({
            method: 'POST',
            url,
            headers: JSON_TYPE,
            body: `{"name":"a","items":[${[...good, ...bad].join(',')}]}`,
          });
          expect(response.statusCode).to.equal(400);
          const problem = problemOf(response);
          // Found among items sampled over the whole array, before it is parsed: 20 bad ones.
          const paths = problem.errors!.map((issue) => issue.path);
          expect(paths).to.have.lengthOf(20);
          expect(new Set(paths).size).to.equal(20);
          for (const path of paths) {
            const [, index] = /^items\.(\d+)\.qty$/.exec(path)!;
            expect(Number(index)).to.be.within(1000, 1999);
          }
          // Only the items looked at are counted: validating all 2,000 was the cost to avoid.
          expect(problem.omittedErrors).to.equal(1);
        });

        it(`reads an items key given twice through ${url} as JSON.parse does: the last one counts`, async () => {
          const items = Array.from({ length: 1000 }, () => '{"qty":"x"}').join(',');
          const response = await client().send({
            method: 'POST',
            url,
            headers: JSON_TYPE,
            body: `{"name":"a","items":[${items}],"items":[{"qty":1}]}`,
          });
          expect(response.statusCode, response.body).to.equal(200);
        });
      }
    });
  });

  describe('when a problem would outgrow a Lambda result', () => {
    // ALB's 1 MB: 40,000 unknown keys listed in full made a 4 MB answer, a 500 on Lambda.
    overEveryTransport(
      (client) => {
        it('answers 400 with a bounded body', async () => {
          const body = unknownKeys('{"name":"a"', 40_000, '}');
          const response = await client().send({ method: 'POST', url: '/loose', headers: JSON_TYPE, body });
          expect(response.statusCode).to.equal(400);
          expect(response.rawBody.length).to.be.below(10_000);
          expect(problemOf(response).omittedErrors).to.equal(39_980);
        });

        it('cuts a key of 100,000 characters in the listed path and message', async () => {
          const key = 'k'.repeat(100_000);
          const body = `{"name":"a","${key}":1}`;
          const response = await client().send({ method: 'POST', url: '/loose', headers: JSON_TYPE, body });
          expect(response.statusCode).to.equal(400);
          const [issue] = problemOf(response).errors!;
          expect(issue!.path).to.have.length(200);
          expect(issue!.message).to.have.length(200);
        });

        it("lists 20 of a handler's own 1,000 issues", async () => {
          const response = await client().send({ method: 'POST', url: '/problems' });
          const problem = problemOf(response);
          expect(problem.errors).to.have.length(20);
          expect(problem.omittedErrors).to.equal(980);
        });
      },
      [albSingleTransport, albMultiTransport, restApiTransport],
    );
  });

  describe('when JSON nests deeper than 512 levels', () => {
    overEveryTransport((client) => {
      const cases: Array<[string, string]> = [
        ['a DTO on the fast path', '/order'],
        ['a DTO on the class-validator path', '/loose'],
        ['an Object body', '/any'],
        ['req.json()', '/json'],
      ];
      for (const [name, url] of cases) {
        it(`refuses it for ${name}, and accepts 500 levels`, async () => {
          for (const depth of [513, 10_000]) {
            const body = `{"name":"a","tags":${nested(depth - 1)}}`;
            const response = await client().send({ method: 'POST', url, headers: JSON_TYPE, body });
            expect(response.statusCode, `${depth} levels`).to.equal(400);
            expect(problemOf(response).code).to.equal('CREST_INVALID_JSON');
          }
          const body = `{"name":"a","tags":${nested(499)}}`;
          const response = await client().send({ method: 'POST', url, headers: JSON_TYPE, body });
          expect(response.statusCode).to.equal(200);
          expect(response.body).to.include(nested(499));
        });
      }
    });
  });

  describe('when a recursive DTO nests up to the limit', () => {
    const tree = (depth: number): string =>
      depth === 1 ? '{"name":"leaf"}' : `{"name":"n${depth}","child":${tree(depth - 1)}}`;
    overEveryTransport((client) => {
      for (const url of ['/tree', '/loose-tree']) {
        it(`answers 512 levels through ${url}, and refuses 513`, async () => {
          const body = tree(512);
          const accepted = await client().send({ method: 'POST', url, headers: JSON_TYPE, body });
          expect(accepted.statusCode).to.equal(200);
          expect(accepted.body).to.equal(body);
          const refused = await client().send({ method: 'POST', url, headers: JSON_TYPE, body: tree(513) });
          expect(problemOf(refused).code).to.equal('CREST_INVALID_JSON');
        });
      }
    });
  });

  describe('when a JSON body is not UTF-8', () => {
    const invalid = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    // ALB hands JSON and form bodies to Lambda as text, not base64: the platform has decoded the
    // bytes before crest sees them.
    const bytesArrive = transports.filter(
      (transport) => transport !== albSingleTransport && transport !== albMultiTransport,
    );
    overEveryTransport((client) => {
      for (const url of ['/order', '/loose', '/any', '/json']) {
        it(`refuses it for ${url}`, async () => {
          const response = await client().send({ method: 'POST', url, headers: JSON_TYPE, body: invalid });
          expect(response.statusCode).to.equal(400);
          expect(problemOf(response).code).to.equal('CREST_INVALID_JSON');
        });
      }

      it('decodes text() and form() as the Fetch API does: U+FFFD', async () => {
        const body = Buffer.concat([Buffer.from('a=1'), Buffer.from([0xff])]);
        const response = await client().send({
          method: 'POST',
          url: '/text',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        expect(response.statusCode).to.equal(200);
        expect(JSON.parse(response.body)).to.deep.equal({ text: 'a=1\uFFFD', form: { a: ['1\uFFFD'] } });
      });
    }, bytesArrive);
  });

  describe('when a DTO has an asynchronous constraint', () => {
    overEveryTransport((client) => {
      it('runs it, also in a nested DTO', async () => {
        const cases: Array<[string, string, number, string | undefined]> = [
          ['/signup', '{"name":"taken"}', 400, 'name'],
          ['/signup', '{"name":"free"}', 200, undefined],
          ['/signup-undeclared', '{"name":"taken"}', 400, 'name'],
          ['/team', '{"title":"t","owner":{"name":"taken"}}', 400, 'owner.name'],
          ['/team?q=x', '{"title":"t","owner":{"name":"free"}}', 200, undefined],
        ];
        for (const [url, body, status, path] of cases) {
          const response = await client().send({ method: 'POST', url, headers: JSON_TYPE, body });
          expect(response.statusCode, body).to.equal(status);
          if (path !== undefined) {
            expect(problemOf(response).errors).to.deep.equal([
              { in: 'body', path, code: 'nameIsFree', message: 'name is taken' },
            ]);
          }
        }
      });

      it('lists its problems with those of the other parameters', async () => {
        const body = '{"title":"t","owner":{"name":"taken"}}';
        const response = await client().send({ method: 'POST', url: '/team?k0=1&k1=1', headers: JSON_TYPE, body });
        expect(problemOf(response).errors!.map((issue) => `${issue.in} ${issue.path}`)).to.have.members([
          'body owner.name',
          'query k0',
          'query k1',
        ]);
      });
    });
  });

  describe('when validation options allow unknown keys', () => {
    let app: App;
    before(() => {
      app = createApp({ controllers: [DtoController], validation: { forbidNonWhitelisted: false } });
    });

    it('strips 50,000 of them', async () => {
      const body = unknownKeys('{"name":"a"', 50_000, '}');
      const response = await app.inject({ method: 'POST', url: '/loose', headers: JSON_TYPE, body });
      expect(response.json()).to.deep.equal({ name: 'a' });
    });

    it('keeps them without the whitelist', async () => {
      const loose = createApp({ controllers: [DtoController], validation: { whitelist: false } });
      const body = unknownKeys('{"name":"a"', 50_000, '}');
      const response = await loose.inject({ method: 'POST', url: '/loose', headers: JSON_TYPE, body });
      expect(Object.keys(response.json<object>())).to.have.length(50_001);
    });
  });
});
