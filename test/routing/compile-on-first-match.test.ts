import { expect } from 'chai';
import { IsInt, IsString, Min } from 'class-validator';
import {
  Body,
  Controller,
  createApp,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  ResponseSchema,
  SetHeader,
  Use,
  type Middleware,
} from '../../src';
import type { Logger } from '../../src/core/logger';
import { inLambdaEnvironment } from '../support/lambda-environment';
import { bootError } from './support/boot-error';
import { withoutDesignTypes } from './support/without-metadata';

class NewPet {
  @IsString() name!: string;
  @IsInt() @Min(0) age!: number;
}
class PetView {
  @IsString() name!: string;
}

const tagged: Middleware = async (ctx, next) => {
  const response = await next();
  response.headers['x-tagged'] = ctx.route?.handler ?? '';
  return response;
};

@Controller('/pets')
class Pets {
  @Get('/:id') @ResponseSchema(PetView) show(@Param('id') id: number) {
    return { name: `pet ${id}`, secret: 'not declared' };
  }
  @Post('/') @HttpCode(201) @SetHeader('cache-control', 'no-store') create(@Body() input: NewPet) {
    return input;
  }
  @Get('/') @Use(tagged) list(@Query('limit') limit: number) {
    return { limit };
  }
}

// A route that cannot compile: a bundle dropped its parameter's type.
@Controller('/broken')
class Broken {
  @Get('/:id') show(@Param('id') id: number) {
    return { id };
  }
}
withoutDesignTypes(Broken);

// A route that fails the router's check: its path parameter reaches no argument.
@Controller('/unbound')
class Unbound {
  @Get('/:id') show() {
    return 'never';
  }
}

const CANNOT_COMPILE = [
  { controller: Broken, url: '/broken/1', code: 'CREST_MISSING_TYPE' },
  { controller: Unbound, url: '/unbound/1', code: 'CREST_UNBOUND_PARAM' },
];

const REQUESTS = [
  { method: 'GET', url: '/pets/7' },
  { method: 'GET', url: '/pets/x' },
  { method: 'POST', url: '/pets', body: { name: 'Rex', age: 3 } },
  { method: 'POST', url: '/pets', body: { name: 'Rex', age: -1 } },
  { method: 'GET', url: '/pets?limit=5' },
  { method: 'GET', url: '/pets?limit=five' },
] as const;

const answer = async (app: ReturnType<typeof createApp>, request: (typeof REQUESTS)[number]) => {
  const response = await app.inject({ ...request, headers: { 'x-request-id': 'req-1' } });
  return { status: response.statusCode, headers: response.headers, body: response.body };
};

describe('route compilation', () => {
  describe('when the app runs in the Lambda runtime', () => {
    const lambda = inLambdaEnvironment();

    it('answers every request as an app compiled at boot does', async () => {
      const lazy = createApp({ controllers: [Pets] });
      const lazyAnswers = [];
      for (const request of REQUESTS) lazyAnswers.push(await answer(lazy, request));
      lambda.outside();
      const eager = createApp({ controllers: [Pets] });
      for (const [i, request] of REQUESTS.entries()) expect(lazyAnswers[i]).to.deep.equal(await answer(eager, request));
    });

    it('answers the same on a route’s second request as on its first', async () => {
      const app = createApp({ controllers: [Pets] });
      const first = await answer(app, REQUESTS[2]);
      expect(first.status).to.equal(201);
      expect(await answer(app, REQUESTS[2])).to.deep.equal(first);
    });

    for (const { controller, url, code } of CANNOT_COMPILE) {
      it(`starts with a route failing with ${code}, which answers 500 and logs its boot error`, async () => {
        const errors: object[] = [];
        const logger: Logger = { info: () => undefined, warn: () => undefined, error: (entry) => errors.push(entry) };
        const app = createApp({ controllers: [Pets, controller], logger });
        expect((await app.inject({ url: '/pets/7' })).statusCode).to.equal(200);
        const broken = await app.inject({ url });
        expect(broken.statusCode).to.equal(500);
        expect(broken.json()).to.include({ code: 'CREST_INTERNAL' });
        expect(JSON.stringify(errors)).to.include(code);
        expect((await app.inject({ url })).statusCode).to.equal(500);
      });
    }
  });

  describe('when the app runs anywhere else (tests, a local server)', () => {
    for (const { controller, code } of CANNOT_COMPILE) {
      it(`refuses to boot with a route failing with ${code}`, () => {
        expect(bootError([Pets, controller]).code).to.equal(code);
      });
    }
  });
});
