import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CrestBootError, createApp, ErrorCodes } from '../../src';
import { openapi, openApiDocument, type OpenApiDocument, type OpenApiOptions } from '../../src/openapi';
import { restApiEvent, httpApiEvent } from '../../src/testing/api-gateway-events';
import { lambdaContext } from '../../src/testing/context';
import { expectValidOpenApi } from './openapi-checks';
import { FilesController, UsersController } from './sample-app';

const UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

function docsApp(options: OpenApiOptions = {}, prefix = '/api') {
  return createApp({ controllers: [UsersController, FilesController], prefix, openapi: openapi(options) });
}

describe('createApp({ openapi })', () => {
  describe('when the option is absent', () => {
    it('serves neither the document nor the page', async () => {
      const app = createApp({ controllers: [UsersController], prefix: '/api' });
      expect((await app.inject({ url: '/api/openapi.json' })).statusCode).to.equal(404);
      expect((await app.inject({ url: '/api/docs' })).statusCode).to.equal(404);
    });
  });

  describe('when serving with the defaults', () => {
    const app = docsApp({ info: { title: 'Sample <API>', version: '3.0.0' } });

    it('serves the document as JSON under the prefix, valid and openApiDocument(app) with a relative server', async () => {
      const response = await app.inject({ url: '/api/openapi.json' });
      expect(response.statusCode).to.equal(200);
      expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(response.headers['cache-control']).to.equal('no-cache');
      const document = response.json<OpenApiDocument>();
      expect(document).to.deep.equal(
        JSON.parse(
          JSON.stringify({
            ...openApiDocument(app),
            servers: [{ url: '.', description: 'This API, relative to this document' }],
          }),
        ),
      );
      expect(document.info).to.deep.equal({ title: 'Sample <API>', version: '3.0.0' });
      await expectValidOpenApi(document);
    });

    it('answers a matching If-None-Match with 304', async () => {
      const first = await app.inject({ url: '/api/openapi.json' });
      const etag = first.headers.etag as string;
      expect(etag).to.match(/^"[\w-]+"$/);
      const second = await app.inject({ url: '/api/openapi.json', headers: { 'if-none-match': etag } });
      expect(second.statusCode).to.equal(304);
      expect(second.rawBody.length).to.equal(0);
    });

    it('serves the page as HTML with relative links, the title escaped', async () => {
      const response = await app.inject({ url: '/api/docs' });
      expect(response.statusCode).to.equal(200);
      expect(response.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(response.body).to.contain('<title>Sample &#60;API&#62;</title>');
      expect(response.body).to.contain('href="docs/swagger-ui.css"');
      expect(response.body).to.contain('src="docs/swagger-ui-bundle.js"');
      expect(response.body).to.contain('src="docs/crest-docs.js"');
      expect(response.body).to.contain('data-url="openapi.json"');
    });

    it('serves the page at the folder path too, linking from there', async () => {
      const response = await app.inject({ url: '/api/docs/' });
      expect(response.statusCode).to.equal(200);
      expect(response.body).to.contain('href="./swagger-ui.css"');
      expect(response.body).to.contain('data-url="../openapi.json"');
    });

    it('serves CSS and JavaScript as text with their types', async () => {
      const css = await app.inject({ url: '/api/docs/swagger-ui.css' });
      expect(css.statusCode).to.equal(200);
      expect(css.headers['content-type']).to.equal('text/css; charset=utf-8');
      expect(css.headers['cache-control']).to.equal('public, max-age=86400');
      expect(css.headers['x-content-type-options']).to.equal('nosniff');
      expect(css.rawBody.equals(readFileSync(join(UI_DIR, 'swagger-ui.css')))).to.equal(true);
      const init = await app.inject({ url: '/api/docs/crest-docs.js' });
      expect(init.headers['content-type']).to.equal('text/javascript; charset=utf-8');
      expect(init.body).to.contain('SwaggerUIBundle(');
    });

    it('serves PNG images byte for byte', async () => {
      for (const name of ['favicon-16x16.png', 'favicon-32x32.png']) {
        const response = await app.inject({ url: `/api/docs/${name}` });
        expect(response.headers['content-type']).to.equal('image/png');
        expect(response.rawBody.equals(readFileSync(join(UI_DIR, name)))).to.equal(true);
      }
    });

    it('gzips text for clients that accept it, and only for them', async () => {
      const plain = await app.inject({ url: '/api/docs/swagger-ui-bundle.js' });
      expect(plain.headers).to.not.have.property('content-encoding');
      expect(plain.headers.vary).to.equal('accept-encoding');
      const gzipped = await app.inject({
        url: '/api/docs/swagger-ui-bundle.js',
        headers: { 'accept-encoding': 'br, gzip;q=0.8' },
      });
      expect(gzipped.headers['content-encoding']).to.equal('gzip');
      expect(gzipped.rawBody.length).to.be.below(plain.rawBody.length / 2);
      expect(gunzipSync(gzipped.rawBody).equals(plain.rawBody)).to.equal(true);
      expect(gzipped.headers.etag).to.equal((plain.headers.etag as string).replace(/"$/, '-gzip"'));
      const revalidated = await app.inject({
        url: '/api/docs/swagger-ui-bundle.js',
        headers: { 'accept-encoding': 'gzip', 'if-none-match': gzipped.headers.etag as string },
      });
      expect(revalidated.statusCode).to.equal(304);
      const refused = await app.inject({
        url: '/api/docs/swagger-ui-bundle.js',
        headers: { 'accept-encoding': 'gzip;q=0' },
      });
      expect(refused.headers).to.not.have.property('content-encoding');
    });

    it('answers 404 problems for other files, source maps included', async () => {
      for (const name of ['swagger-ui-bundle.js.map', 'package.json', '..%2Fpackage.json', 'index.html']) {
        const response = await app.inject({ url: `/api/docs/${name}` });
        expect(response.statusCode, name).to.equal(404);
        expect(response.json<{ code: string }>().code).to.equal(ErrorCodes.NOT_FOUND);
      }
    });

    it('answers HEAD without a body', async () => {
      const response = await app.inject({ method: 'HEAD', url: '/api/docs/favicon-16x16.png' });
      expect(response.statusCode).to.equal(200);
      expect(response.rawBody.length).to.equal(0);
    });

    it('leaves the served routes out of the document', () => {
      expect(
        Object.keys(openApiDocument(app).paths).some((path) => path.includes('docs') || path.includes('openapi')),
      ).to.equal(false);
    });
  });

  describe('when serving through Lambda', () => {
    const lambda = docsApp().lambda();
    /** The buffered result fields every source has. */
    const handler = async (event: unknown, context: ReturnType<typeof lambdaContext>) =>
      (await lambda(event, context)) as unknown as { statusCode: number; body: string; isBase64Encoded: boolean };

    it('returns the page as text and images and gzipped scripts base64-encoded (REST API)', async () => {
      const page = await handler(restApiEvent({ url: '/api/docs' }), lambdaContext());
      expect(page.statusCode).to.equal(200);
      expect(page.isBase64Encoded).to.equal(false);
      expect(page.body).to.contain('swagger-ui-bundle.js');
      const png = await handler(restApiEvent({ url: '/api/docs/favicon-32x32.png' }), lambdaContext());
      expect(png.isBase64Encoded).to.equal(true);
      const bytes = Buffer.from(png.body, 'base64');
      expect(bytes.equals(readFileSync(join(UI_DIR, 'favicon-32x32.png')))).to.equal(true);
    });

    it('fits the 1.7 MB bundle in the response when gzip is accepted (HTTP API)', async () => {
      const event = httpApiEvent({ url: '/api/docs/swagger-ui-bundle.js', headers: { 'accept-encoding': 'gzip' } });
      const result = await handler(event, lambdaContext());
      expect(result.statusCode).to.equal(200);
      expect(result.isBase64Encoded).to.equal(true);
      const body = gunzipSync(Buffer.from(result.body, 'base64'));
      expect(body.equals(readFileSync(join(UI_DIR, 'swagger-ui-bundle.js')))).to.equal(true);
    });

    it('serves the document', async () => {
      const result = await handler(restApiEvent({ url: '/api/openapi.json' }), lambdaContext());
      expect(result.statusCode).to.equal(200);
      expect(JSON.parse(result.body)).to.have.property('openapi', '3.1.0');
    });
  });

  describe('when configured otherwise', () => {
    it('serves at the given paths, with no prefix', async () => {
      const app = docsApp({ path: '/spec/v1.json', docsPath: '/reference/ui' }, '');
      const spec = await app.inject({ url: '/spec/v1.json' });
      expect(spec.json<{ servers: Array<{ url: string }> }>().servers[0]!.url).to.equal('..');
      const page = await app.inject({ url: '/reference/ui' });
      expect(page.body).to.contain('href="ui/swagger-ui.css"');
      expect(page.body).to.contain('data-url="../spec/v1.json"');
      expect((await app.inject({ url: '/reference/ui/swagger-ui.css' })).statusCode).to.equal(200);
    });

    it('serves only the document with docsPath: false', async () => {
      const app = docsApp({ docsPath: false });
      expect((await app.inject({ url: '/api/openapi.json' })).statusCode).to.equal(200);
      expect((await app.inject({ url: '/api/docs' })).statusCode).to.equal(404);
    });

    it('uses the given servers', async () => {
      const servers = [{ url: 'https://example.com/prod/api' }];
      const app = docsApp({ servers });
      expect(openApiDocument(app).servers).to.deep.equal(servers);
      expect((await app.inject({ url: '/api/openapi.json' })).json<{ servers: unknown }>().servers).to.deep.equal(
        servers,
      );
    });

    it('serves the UI files from uiDir', async () => {
      const app = docsApp({ uiDir: UI_DIR });
      expect((await app.inject({ url: '/api/docs/favicon-16x16.png' })).statusCode).to.equal(200);
    });
  });

  describe('when misconfigured', () => {
    it('fails at boot when uiDir holds no Swagger UI', () => {
      expect(() => docsApp({ uiDir: __dirname }))
        .to.throw(CrestBootError)
        .with.property('code', ErrorCodes.DOCS_UI_MISSING);
    });

    for (const path of ['docs', '/', '/docs/:id', '/files/*']) {
      it(`refuses docsPath ${JSON.stringify(path)}`, () => {
        expect(() => docsApp({ docsPath: path }))
          .to.throw(CrestBootError)
          .with.property('code', ErrorCodes.INVALID_OPTION);
      });
    }

    it('refuses bare options where openapi({ ... }) belongs', () => {
      const options = { info: { title: 'x' } } as unknown as ReturnType<typeof openapi>;
      expect(() => createApp({ controllers: [UsersController], openapi: options }))
        .to.throw(CrestBootError, "openapi({ ... }) from 'crest/openapi'")
        .with.property('code', ErrorCodes.INVALID_OPTION);
    });

    it('fails at boot when a served path collides with a route', () => {
      expect(() => docsApp({ path: '/users' }))
        .to.throw(CrestBootError)
        .with.property('code', ErrorCodes.DUPLICATE_ROUTE);
    });
  });
});
