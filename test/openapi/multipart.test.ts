import { expect } from 'chai';
import { createApp } from '../../src';
import { openApiDocument } from '../../src/openapi';
import { UploadsController } from '../uploads/upload-app';
import { expectValidOpenApi } from './openapi-checks';

describe('openApiDocument(app) for upload routes', () => {
  const document = openApiDocument(createApp({ controllers: [UploadsController] }), { title: 'Uploads', version: '1' });

  it('validates against the OpenAPI 3.1 schema', async () => {
    await expectValidOpenApi(document);
  });

  describe('when a route has a file and a @Body() DTO', () => {
    it('documents multipart/form-data with a binary file property beside the DTO text fields', () => {
      const operation = document.paths['/uploads/doc']!.post!;
      expect(operation.requestBody).to.deep.equal({
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                doc: { type: 'string', format: 'binary' },
                title: { type: 'string' },
                year: { type: 'integer', maximum: 3000 },
                note: { type: 'string' },
              },
              required: ['doc', 'title', 'year'],
            },
          },
        },
      });
      expect(operation.responses).to.include.keys('400', '413', '415');
    });
  });

  describe('when a route has several file fields', () => {
    it('documents an array of binaries for @UploadedFiles, with its count and media types', () => {
      const body = document.paths['/uploads/photos']!.post!.requestBody!.content['multipart/form-data']!;
      expect(body).to.deep.equal({
        schema: {
          type: 'object',
          properties: {
            photos: { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: 3 },
            cover: { type: 'string', format: 'binary' },
          },
        },
        encoding: { photos: { contentType: 'image/*' } },
      });
    });
  });

  describe('when a route has @Multipart() and a @Body() DTO, without file fields', () => {
    it('documents the DTO as JSON and its fields as multipart/form-data', () => {
      const body = document.paths['/uploads/meta']!.post!.requestBody!;
      expect(body).to.deep.equal({
        required: true,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/PhotoMeta' } },
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                title: { type: 'string' },
                year: { type: 'integer', maximum: 3000 },
                note: { type: 'string' },
              },
              required: ['title', 'year'],
            },
          },
        },
      });
    });

    it('says its 415 is for a body that is neither JSON nor multipart/form-data', () => {
      const response = JSON.stringify(document.paths['/uploads/meta']!.post!.responses!['415']);
      expect(response).to.include('neither `application/json` (utf-8) nor multipart/form-data');
      expect(response).not.to.include('is not `application/json`');
    });
  });

  describe('when a route has no file field', () => {
    it('keeps documenting its JSON body', () => {
      expect(Object.keys(document.paths['/uploads/json']!.post!.requestBody!.content)).to.deep.equal([
        'application/json',
      ]);
    });
  });
});
