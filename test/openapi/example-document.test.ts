import { expect } from 'chai';
import type { App } from 'crest';
import { openApiDocument, type OpenApi, type OpenApiDocument } from 'crest/openapi';
import { createPostalApp } from '../../example/src/app';
import { EmbeddedStore } from '../../example/src/store/embedded-store';
import { restApiEvent } from '../../src/testing/api-gateway-events';
import { lambdaContext } from '../../src/testing/context';
import { expectValidOpenApi } from './openapi-checks';
import { exampleViolations } from './support/contract';

/** Two codes are all the document needs; the browser test uses the real data set. */
function exampleApp(): App {
  const address = { prefecture: '東京都', locality: '千代田区千代田', address: '東京都千代田区千代田' };
  // The example is built against the published package (dist), and so is this test.
  return createPostalApp(new EmbeddedStore([{ code: '1000001', addresses: [address] }]));
}

describe('the example’s OpenAPI document', () => {
  const app = exampleApp();
  const document = openApiDocument(app);

  it('validates against the OpenAPI 3.1 schema', async () => {
    await expectValidOpenApi(document);
  });

  it('gives examples that fit their schemas: parameters, problems, schemas', () => {
    expect(exampleViolations(document)).to.deep.equal([]);
  });

  it('names the API and serves it under /api', () => {
    expect(document.info.title).to.equal('Japanese postal codes');
    expect(document.servers).to.deep.equal([{ url: '/api' }]);
  });

  it('documents GET /postal_code field by field', () => {
    const lookup = document.paths['/postal_code']!.get!;
    expect(lookup).to.deep.include({
      tags: ['Postal'],
      summary: 'The addresses of a postal code',
      operationId: 'PostalController_lookup',
      parameters: [
        {
          name: 'code',
          in: 'query',
          required: true,
          schema: { type: 'string', pattern: '^\\d{7}$' },
          description: 'Seven digits, no hyphen.',
          example: '1000001',
        },
      ],
    });
    const responses = lookup.responses!;
    expect(Object.keys(responses)).to.deep.equal(['200', '400', '404', '500', '503', 'default']);
    expect(responses['200']).to.deep.equal({
      description: 'OK',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/LookupAnswer' } } },
    });
    expect(responses['400']).to.deep.equal({ $ref: '#/components/responses/ValidationFailed' });
  });

  it('documents the app’s own problems with the codes it sends', () => {
    const codeOf = (path: string, status: string) => {
      const response = document.paths[path]!.get!.responses![status] as OpenApi.ResponseObject;
      return response.content!['application/problem+json']!.schema!.properties!.code;
    };
    expect(codeOf('/postal_code', '404')).to.deep.equal({ const: 'UNKNOWN_POSTAL_CODE' });
    for (const path of ['/postal_code', '/postal_codes', '/postal_codes/batch', '/postal_codes/export']) {
      expect(codeOf(path, '503'), path).to.deep.equal({ const: 'STORE_UNAVAILABLE' });
    }
    expect(codeOf('/health', '503')).to.deep.equal({ enum: ['STORE_UNAVAILABLE', 'STORE_EMPTY'] });
  });

  it('documents the media type of each answer: JSON, NDJSON, binary', () => {
    const content = (path: string) => (document.paths[path]!.get!.responses!['200'] as OpenApi.ResponseObject).content!;
    expect(content('/health')).to.have.keys('application/json');
    expect(content('/demo/bytes')).to.have.keys('application/octet-stream');
    expect(content('/postal_codes/export')['application/x-ndjson']).to.deep.equal({
      schema: { type: 'string', description: 'One LookupAnswer as JSON per line.' },
      'x-itemSchema': { $ref: '#/components/schemas/LookupAnswer' },
    });
  });

  it('admits null where the answer sends it: the last page’s nextCursor', () => {
    expect(document.components.schemas.SearchAnswer!.properties!.nextCursor).to.deep.equal({
      type: ['string', 'null'],
    });
  });

  it('describes the lookup’s answer from its @ResponseSchema classes', () => {
    const schemas = document.components!.schemas!;
    expect(schemas.LookupAnswer).to.deep.equal({
      type: 'object',
      properties: {
        code: { type: 'string' },
        addresses: { type: 'array', items: { $ref: '#/components/schemas/AddressAnswer' } },
      },
      required: ['code', 'addresses'],
    });
    expect(schemas.AddressAnswer!.required).to.deep.equal(['prefecture', 'locality', 'address']);
  });

  it('documents the batch lookup’s repeated code as an array of 1 to 50 codes', () => {
    const [code] = document.paths['/postal_codes/batch']!.get!.parameters!;
    expect(code).to.deep.include({
      name: 'code',
      in: 'query',
      required: true,
      schema: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', pattern: '^\\d{7}$' } },
      // Explicit: the key repeated (`code=a&code=b`), never `code=a,b`.
      style: 'form',
      explode: true,
    });
  });

  it('documents the search’s optional limit with its bounds', () => {
    const parameters = document.paths['/postal_codes']!.get!.parameters!;
    expect(parameters.find((p) => p.name === 'limit')).to.deep.include({
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100 },
    });
  });

  describe('when served through the Lambda handler behind a REST API stage', () => {
    const handler = app.lambda();
    const get = async (url: string) =>
      (await handler(restApiEvent({ url }, { stage: 'prod' }), lambdaContext())) as unknown as {
        statusCode: number;
        headers: Record<string, string>;
        body: string;
      };

    it('serves the document with a server relative to it, which keeps the stage', async () => {
      const result = await get('/api/openapi.json');
      expect(result.statusCode).to.equal(200);
      const served = JSON.parse(result.body) as OpenApiDocument;
      expect(served.servers![0]!.url).to.equal('.');
      // What a browser at https://host/prod/api/openapi.json makes of it:
      expect(new URL(`${served.servers![0]!.url}/postal_code`, 'https://host/prod/api/openapi.json').href).to.equal(
        'https://host/prod/api/postal_code',
      );
    });

    it('serves the page with links relative to /prod/api/docs', async () => {
      const result = await get('/api/docs');
      expect(result.statusCode).to.equal(200);
      expect(result.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(result.body).to.contain('src="docs/swagger-ui-bundle.js"').and.to.contain('data-url="openapi.json"');
    });
  });
});
