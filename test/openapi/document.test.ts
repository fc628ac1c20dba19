import { expect } from 'chai';
import { IsString } from 'class-validator';
import {
  Body,
  Controller,
  CrestBootError,
  createApp,
  Delete,
  Doc,
  ErrorCodes,
  Get,
  Head,
  Options,
  Param,
  Post,
} from '../../src';
import { openapi, openApiDocument, type OpenApi } from '../../src/openapi';
import { expectValidOpenApi } from './openapi-checks';
import { FilesController, UsersController } from './sample-app';
import { inLambdaEnvironment } from '../support/lambda-environment';

function sampleApp() {
  return createApp({ controllers: [UsersController, FilesController], prefix: '/api' });
}

describe('openApiDocument(app)', () => {
  describe('when built from the sample app', () => {
    const document = openApiDocument(sampleApp(), { title: 'Sample', version: '2.0.0' });

    it('validates against the OpenAPI 3.1 schema', async () => {
      await expectValidOpenApi(document);
    });

    it('describes the API: version, info, the prefix as the server, tags', () => {
      expect(document.openapi).to.equal('3.1.0');
      expect(document.info).to.deep.equal({ title: 'Sample', version: '2.0.0' });
      expect(document.servers).to.deep.equal([{ url: '/api' }]);
      expect(document.tags).to.deep.equal([{ name: 'users' }, { name: 'Files' }]);
    });

    it('lists paths as templates, without HEAD routes made for GET or hidden operations', () => {
      expect(Object.keys(document.paths)).to.have.members([
        '/users',
        '/users/{id}',
        '/users/{id}/tags',
        '/files/{wildcard}',
        '/files/echo',
      ]);
      for (const item of Object.values(document.paths)) expect(item).to.not.have.property('head');
    });

    it('documents GET /users: query DTO expanded, @Doc, an array response', () => {
      expect(document.paths['/users']!.get).to.deep.equal({
        tags: ['users'],
        summary: 'Search users',
        operationId: 'searchUsers',
        parameters: [
          { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
          { name: 'sort', in: 'query', required: true, schema: { type: 'string', enum: ['name', 'email'] } },
        ],
        responses: {
          200: {
            description: 'OK',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/User' } } },
            },
          },
          400: { $ref: '#/components/responses/ValidationFailed' },
          500: { $ref: '#/components/responses/InternalError' },
          default: { $ref: '#/components/responses/Problem' },
        },
      });
    });

    it('documents POST /users: a required JSON body, @HttpCode status, 413 and 415 problems', () => {
      const operation = document.paths['/users']!.post!;
      expect(operation.operationId).to.equal('UsersController_create');
      expect(operation.requestBody).to.deep.equal({
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateUser' } } },
      });
      expect(Object.keys(operation.responses!)).to.deep.equal(['201', '400', '413', '415', '500', 'default']);
      expect(operation.responses!['201']).to.deep.equal({
        description: 'Created',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
      });
      expect(document.components.schemas.CreateUser!.required).to.deep.equal([
        'email',
        'name',
        'age',
        'role',
        'address',
      ]);
    });

    it('documents GET /users/{id}: typed path, header and cookie parameters in written order, a 404', () => {
      const operation = document.paths['/users/{id}']!.get!;
      expect(operation.parameters).to.deep.equal([
        { name: 'id', in: 'path', required: true, schema: { type: 'number' } },
        { name: 'x-trace', in: 'header', required: false, schema: { type: 'string' } },
        { name: 'session', in: 'cookie', required: false, schema: { type: 'string' } },
      ]);
      expect(operation.responses!['200']).to.deep.include({ description: 'The user' });
      expect(operation.responses!['404']).to.deep.equal({ $ref: '#/components/responses/NotFound' });
    });

    it('documents list and date query parameters, required flags and deprecation', () => {
      expect(document.paths['/users/{id}/tags']!.get!.parameters).to.deep.equal([
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        {
          name: 'tag',
          in: 'query',
          required: false,
          schema: { type: 'array', items: { type: 'string' } },
          style: 'form',
          explode: true,
        },
        { name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
      ]);
      const remove = document.paths['/users/{id}']!.delete!;
      expect(remove.deprecated).to.equal(true);
      expect(remove.parameters![1]).to.deep.equal({
        name: 'force',
        in: 'query',
        required: true,
        schema: { type: 'boolean' },
      });
      // Undocumented: any body, or none when the handler returns nothing.
      expect(remove.responses!['200']).to.deep.equal({ description: 'OK', content: { '*/*': { schema: {} } } });
      expect(remove.responses!['204']).to.have.property('description');
    });

    it('names a wildcard parameter and expands @All into the designed methods', () => {
      expect(document.paths['/files/{wildcard}']!.get!.parameters![0]).to.deep.include({
        name: 'wildcard',
        in: 'path',
      });
      const echo = document.paths['/files/echo']!;
      expect(Object.keys(echo)).to.deep.equal(['get', 'post', 'put', 'patch', 'delete']);
      expect(echo.post!.operationId).to.equal('FilesController_echo_post');
      expect(echo.post!.requestBody).to.deep.equal({ content: { 'text/plain': { schema: { type: 'string' } } } });
    });

    it('shares one Problem schema among the error responses', () => {
      expect(
        document.components.responses.ValidationFailed!.content!['application/problem+json']!.schema,
      ).to.deep.include({
        $ref: '#/components/schemas/ValidationProblem',
      });
      expect(document.components.schemas.Problem!.required).to.deep.equal(['type', 'title', 'status', 'code']);
      expect(document.components.schemas.ValidationProblem!.properties!.code).to.deep.equal({
        type: 'string',
        const: 'CREST_VALIDATION',
      });
    });

    it('documents the cap on errors and the count of the rest', () => {
      for (const name of ['Problem', 'ValidationProblem']) {
        const { properties } = document.components.schemas[name]!;
        expect(properties!.errors).to.include({ maxItems: 20 });
        expect(properties!.omittedErrors).to.include({ type: 'integer', minimum: 1 });
      }
    });
  });

  describe('when called twice', () => {
    it('builds the document once and merges info over it', () => {
      const app = sampleApp();
      const first = openApiDocument(app);
      expect(openApiDocument(app)).to.equal(first);
      const titled = openApiDocument(app, { title: 'Other' });
      expect(titled.info).to.deep.equal({ title: 'Other', version: '1.0.0' });
      expect(titled.paths).to.equal(first.paths);
      expect(first.info.title).to.equal('API');
    });
  });

  describe('when routes use a regex, a colon, HEAD, OPTIONS and no prefix', () => {
    class Input {
      @IsString() name!: string;
    }
    @Controller('/things')
    class ThingsController {
      @Get('/:slug(^[a-z]+)')
      show(@Param('slug') slug: string) {
        return slug;
      }
      @Get('/at::time')
      at() {
        return 'x';
      }
      @Head('/')
      head() {}
      @Options('/')
      options() {}
      @Post('/')
      create(@Body() input: Input) {
        return input;
      }
    }
    const document = openApiDocument(createApp({ controllers: [ThingsController] }));

    it('validates, with the pattern anchored and the literal colon kept', async () => {
      await expectValidOpenApi(document);
      expect(document.servers).to.equal(undefined);
      expect(document.paths['/things/{slug}']!.get!.parameters![0]!.schema).to.deep.equal({
        type: 'string',
        pattern: '^(?:[a-z]+)$',
      });
      expect(document.paths).to.have.property('/things/at:time');
    });

    it('lists explicitly declared HEAD and OPTIONS operations', () => {
      expect(Object.keys(document.paths['/things']!)).to.have.members(['head', 'options', 'post']);
    });
  });

  describe('when routes of one shape name their parameters differently', () => {
    @Controller('/items')
    class Items {
      @Get('/:id(^\\d+)')
      byId(@Param('id') id: number) {
        return id;
      }
      @Delete('/:itemId')
      remove(@Param('itemId') _id: string) {}
    }

    it('lists them under the first template, as OpenAPI requires', async () => {
      const document = openApiDocument(createApp({ controllers: [Items] }));
      await expectValidOpenApi(document);
      expect(Object.keys(document.paths)).to.deep.equal(['/items/{id}']);
      expect(document.paths['/items/{id}']!.get!.operationId).to.equal('Items_byId');
      expect(document.paths['/items/{id}']!.delete!.parameters![0]).to.deep.include({ name: 'id', in: 'path' });
    });
  });

  describe('when two operations claim one operationId', () => {
    @Controller()
    class Clash {
      @Get('/a') @Doc({ operationId: 'same' }) a() {}
      @Get('/b') @Doc({ operationId: 'same' }) b() {}
    }

    it('fails with a coded error naming both', () => {
      expect(() => openApiDocument(createApp({ controllers: [Clash] })))
        .to.throw(CrestBootError, /Clash\.b.*Clash\.a/)
        .with.property('code', ErrorCodes.DUPLICATE_OPERATION_ID);
    });

    describe('when the document is served', () => {
      const served = () => createApp({ controllers: [Clash], openapi: openapi({ docsPath: false }) });

      it('fails at the first use: inject and listen reject, a Lambda handler is not made', async () => {
        // Not in createApp, so that a server's start does not wait for the document (app.run()
        // builds it after the first answer: test/node/run.test.ts).
        const app = served();
        for (const use of [() => app.inject({ url: '/a' }), () => app.listen(0, '127.0.0.1')]) {
          const failure = await use().then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(failure).to.be.instanceOf(CrestBootError).with.property('code', ErrorCodes.DUPLICATE_OPERATION_ID);
        }
        expect(() => app.lambda())
          .to.throw(CrestBootError)
          .with.property('code', ErrorCodes.DUPLICATE_OPERATION_ID);
      });

      it('does not build the document in createApp', () => {
        expect(served).not.to.throw();
      });
    });

    describe('in the Lambda runtime, where the start is the cold start', () => {
      const lambda = inLambdaEnvironment();

      it('builds the document when it is first served: the boot does not pay for it', async () => {
        const app = createApp({ controllers: [Clash], openapi: openapi({ docsPath: false }) });
        expect((await app.inject({ url: '/a' })).statusCode).to.equal(204);
        const served = await app.inject({ url: '/openapi.json' });
        expect(served.statusCode).to.equal(500);
        expect(served.json()).to.include({ code: 'CREST_INTERNAL' });
      });

      it('serves the same document as a boot-time build', async () => {
        const lazy = await createApp({ controllers: [UsersController], openapi: openapi() }).inject({
          url: '/openapi.json',
        });
        lambda.outside();
        const eager = await createApp({ controllers: [UsersController], openapi: openapi() }).inject({
          url: '/openapi.json',
        });
        expect(lazy.statusCode).to.equal(200);
        expect(lazy.body).to.equal(eager.body);
      });
    });
  });

  describe('when an operation declares the problems it answers', () => {
    @Controller('/codes')
    class Codes {
      @Get('/:code')
      @Doc({ problems: { 404: 'No address has this code', 409: 'Ambiguous code' } })
      show(@Param('code') code: string) {
        return code;
      }
    }

    it('documents them with the Problem schema, admitting any code where none is named', async () => {
      const document = openApiDocument(createApp({ controllers: [Codes] }));
      await expectValidOpenApi(document);
      const responses = document.paths['/codes/{code}']!.get!.responses!;
      expect(Object.keys(responses)).to.deep.equal(['200', '204', '400', '404', '409', '414', '500', 'default']);
      expect(responses['404']).to.deep.include({ description: 'No address has this code' });
      expect((responses['404'] as OpenApi.ResponseObject).content!['application/problem+json']!.schema).to.deep.equal({
        $ref: '#/components/schemas/Problem',
      });
      expect(responses['409']).to.have.property('description', 'Ambiguous code');
    });
  });

  describe('when a controller is hidden or documented as a whole', () => {
    @Controller('/internal')
    @Doc({ hidden: true })
    class Internal {
      @Get('/') list() {}
    }
    @Controller('/legacy')
    @Doc({ tags: ['old'], deprecated: true })
    class Legacy {
      @Get('/') list() {}
      @Get('/kept') @Doc({ deprecated: false, summary: 'Still fine' }) kept() {}
    }

    it('leaves out hidden controllers and applies class-level tags and deprecation', () => {
      const document = openApiDocument(createApp({ controllers: [Internal, Legacy] }));
      expect(Object.keys(document.paths)).to.deep.equal(['/legacy', '/legacy/kept']);
      expect(document.paths['/legacy']!.get).to.deep.include({ tags: ['old'], deprecated: true });
      expect(document.paths['/legacy/kept']!.get).to.deep.include({ tags: ['old'], summary: 'Still fine' });
      expect(document.paths['/legacy/kept']!.get).to.not.have.property('deprecated');
    });
  });
});
