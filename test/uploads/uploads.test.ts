import { expect } from 'chai';
import { createApp, ErrorCodes, type App } from '../../src';
import { transports, type Client, type ClientRequest, type ClientResponse } from '../conformance/transports';
import { BOUNDARY, multipartBody, MULTIPART_TYPE, NOT_UTF8, type PartSpec } from './support/multipart-body';
import { FormsController, UploadsController } from './upload-app';

interface Scenario {
  name: string;
  request: ClientRequest;
  expect(response: ClientResponse): void;
}

const post = (url: string, body: Buffer | string, contentType = MULTIPART_TYPE): ClientRequest => ({
  method: 'POST',
  url,
  headers: { 'content-type': contentType },
  body,
});
const meta: PartSpec[] = [
  { name: 'title', content: 'Tokyo' },
  { name: 'year', content: '2024' },
];
const doc = (extra: Partial<PartSpec> = {}): PartSpec => ({
  name: 'doc',
  fileName: 'codes.csv',
  contentType: 'text/csv',
  content: 'code\n1000001\n',
  ...extra,
});
const photo = (fileName: string, contentType = 'image/png'): PartSpec => ({
  name: 'photos',
  fileName,
  contentType,
  content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
});
const json = (res: ClientResponse) => JSON.parse(res.body) as Record<string, unknown>;
const problemOf = (res: ClientResponse, status: number, code: string) => {
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  const body = json(res);
  expect([res.statusCode, body.code]).to.deep.equal([status, code]);
  return body;
};

const scenarios: Scenario[] = [
  {
    name: 'gives a file and the DTO of the text fields, converted to its types',
    request: post('/uploads/doc', multipartBody([...meta, doc()])),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(json(res)).to.deep.equal({
        doc: {
          fieldName: 'doc',
          fileName: 'codes.csv',
          contentType: 'text/csv',
          size: 13,
          hex: Buffer.from('code\n1000001\n').toString('hex'),
        },
        meta: { title: 'Tokyo', year: 2024 },
      });
    },
  },
  {
    name: "keeps file bytes that are not UTF-8 and reads a filename*=UTF-8'' name",
    request: post(
      '/uploads/doc',
      multipartBody([...meta, doc({ fileName: undefined, fileNameStar: '郵便番号 ü.csv', content: NOT_UTF8 })]),
    ),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      const body = json(res) as { doc: { fileName: string; hex: string; size: number } };
      expect(body.doc).to.include({ fileName: '郵便番号 ü.csv', hex: NOT_UTF8.toString('hex'), size: NOT_UTF8.length });
    },
  },
  {
    name: 'reads a raw UTF-8 file name, as browsers send it',
    request: post('/uploads/doc', multipartBody([...meta, doc({ fileName: '日本の住所.csv' })])),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect((json(res) as { doc: { fileName: string } }).doc.fileName).to.equal('日本の住所.csv');
    },
  },
  {
    name: 'gives every file of a field, and undefined for an optional one not sent',
    request: post('/uploads/photos', multipartBody([photo('a.png'), photo('b.jpg', 'image/jpeg')])),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      const body = json(res) as { photos: Array<{ fileName: string; contentType: string }>; cover: unknown };
      expect(body.photos.map((p) => [p.fileName, p.contentType])).to.deep.equal([
        ['a.png', 'image/png'],
        ['b.jpg', 'image/jpeg'],
      ]);
      expect(body.cover).to.equal(null);
    },
  },
  {
    name: 'gives @Body() the text fields of a multipart body on a route with file fields',
    request: post(
      '/uploads/fields',
      multipartBody([
        { name: 'a', content: '1' },
        { name: 'b', content: 'x' },
        { name: 'b', content: 'y' },
      ]),
    ),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(json(res)).to.deep.equal({ fields: { a: '1', b: ['x', 'y'] }, attachments: 0 });
    },
  },
  {
    name: 'reads filename* over filename, whichever comes first (RFC 6266 §4.3)',
    request: post(
      '/uploads/photos',
      multipartBody([
        { ...photo('a.png'), fileName: 'plain-1.png', fileNameStar: '写真 ü.png' },
        {
          ...photo('b.png'),
          fileName: undefined,
          disposition: `form-data; name="photos"; filename*=UTF-8''%E5%9C%B0%E5%9B%B3.png; filename="plain-2.png"`,
        },
        {
          ...photo('c.png'),
          fileName: undefined,
          disposition: `form-data; name="photos"; filename*=Shift_JIS''%93%FA.png; filename="日本.png"`,
        },
      ]),
    ),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      const body = json(res) as { photos: Array<{ fileName: string }> };
      expect(body.photos.map((p) => p.fileName)).to.deep.equal(['写真 ü.png', '地図.png', '日本.png']);
    },
  },
  {
    name: `answers 400 ${ErrorCodes.INVALID_MULTIPART} for filename* that cannot be decoded, without filename`,
    request: post(
      '/uploads/photos',
      multipartBody([{ ...photo('a.png'), disposition: `form-data; name="photos"; filename*=UTF-8''%FF.png` }]),
    ),
    expect(res) {
      problemOf(res, 400, ErrorCodes.INVALID_MULTIPART);
    },
  },
  {
    name: `answers 400 ${ErrorCodes.INVALID_MULTIPART} when a boundary inside a file cuts it (what follows is no part)`,
    request: post(
      '/uploads/doc',
      multipartBody([...meta, doc({ content: Buffer.concat([Buffer.from(`a\r\n--${BOUNDARY}\r\n`), NOT_UTF8]) })]),
    ),
    expect(res) {
      problemOf(res, 400, ErrorCodes.INVALID_MULTIPART);
    },
  },
  {
    name: `answers 400 ${ErrorCodes.INVALID_MULTIPART} when a closing boundary inside a file hides the parts after it`,
    request: post('/uploads/doc', multipartBody([doc({ content: `a\r\n--${BOUNDARY}--\r\nb` }), ...meta])),
    expect(res) {
      problemOf(res, 400, ErrorCodes.INVALID_MULTIPART);
    },
  },
  {
    name: 'streams a file from file.stream(), byte for byte',
    request: post(
      '/uploads/stream',
      multipartBody([doc({ content: Buffer.concat([NOT_UTF8, Buffer.alloc(70_000, 9)]) })]),
    ),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      const content = Buffer.concat([NOT_UTF8, Buffer.alloc(70_000, 9)]);
      expect(json(res)).to.deep.equal({ size: content.length, streamed: content.toString('hex') });
    },
  },
  {
    name: '@Multipart(): validates the text fields of a multipart form with the @Body() DTO',
    request: post('/uploads/meta', multipartBody([...meta, { name: 'note', content: 'ü' }])),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(json(res)).to.deep.equal({ title: 'Tokyo', year: 2024, note: 'ü' });
    },
  },
  {
    name: '@Multipart(): still reads a JSON body',
    request: post('/uploads/meta', '{"title":"Osaka","year":1999}', 'application/json'),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(json(res)).to.deep.equal({ title: 'Osaka', year: 1999 });
    },
  },
  {
    name: '@Multipart(): refuses text fields the DTO does not accept',
    request: post(
      '/uploads/meta',
      multipartBody([
        { name: 'title', content: 'T' },
        { name: 'year', content: 'x' },
      ]),
    ),
    expect(res) {
      const body = problemOf(res, 400, ErrorCodes.VALIDATION);
      expect((body.errors as Array<{ path: string }>).map((e) => e.path)).to.include('year');
    },
  },
  {
    name: '@Multipart(): refuses a file like an unknown property',
    request: post('/uploads/meta', multipartBody([...meta, doc({ name: 'attachment' })])),
    expect(res) {
      const body = problemOf(res, 400, ErrorCodes.VALIDATION);
      expect(body.errors).to.deep.equal([
        { in: 'body', path: 'attachment', code: 'unexpectedFile', message: 'file field "attachment" is not expected' },
      ]);
    },
  },
  {
    name: '@Multipart(): an empty file input is no file',
    request: post(
      '/uploads/meta',
      multipartBody([
        ...meta,
        { name: 'attachment', fileName: '', contentType: 'application/octet-stream', content: '' },
      ]),
    ),
    expect(res) {
      expect(res.statusCode).to.equal(200);
    },
  },
  {
    name: '@Multipart() on a class: every method reads multipart text fields',
    request: post(
      '/forms/fields',
      multipartBody([
        { name: 'a', content: '1' },
        { name: 'a', content: '2' },
      ]),
    ),
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(json(res)).to.deep.equal({ a: ['1', '2'] });
    },
  },
  {
    name: 'refuses a multipart body on a route without file fields or @Multipart() (415), instead of reading it as text',
    request: post('/uploads/json', multipartBody([{ name: 'a', content: '1' }])),
    expect(res) {
      problemOf(res, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE);
    },
  },
  {
    name: 'validates the text fields like a JSON body',
    request: post(
      '/uploads/doc',
      multipartBody([
        { name: 'title', content: 'T' },
        { name: 'year', content: 'soon' },
        { name: 'extra', content: '1' },
        doc(),
      ]),
    ),
    expect(res) {
      const body = problemOf(res, 400, ErrorCodes.VALIDATION);
      const errors = body.errors as Array<{ in: string; path: string }>;
      expect(errors.map((e) => `${e.in}:${e.path}`).sort()).to.deep.equal(['body:extra', 'body:year', 'body:year']);
    },
  },
  {
    name: 'refuses a missing required file as a validation problem',
    request: post('/uploads/doc', multipartBody(meta)),
    expect(res) {
      const body = problemOf(res, 400, ErrorCodes.VALIDATION);
      expect(body.errors).to.deep.include({
        in: 'body',
        path: 'doc',
        code: 'required',
        message: 'a file in doc is required',
      });
    },
  },
  {
    name: 'refuses a file in a field the handler does not declare, like an unknown JSON property',
    request: post('/uploads/photos', multipartBody([photo('a.png'), { ...photo('b.png'), name: 'avatar' }])),
    expect(res) {
      const body = problemOf(res, 400, ErrorCodes.VALIDATION);
      expect(body.errors).to.deep.equal([
        { in: 'body', path: 'avatar', code: 'unexpectedFile', message: 'file field "avatar" is not expected' },
      ]);
    },
  },
  {
    name: 'answers 413 for a file over its field limit',
    request: post('/uploads/doc', multipartBody([...meta, doc({ content: Buffer.alloc(64 * 1024 + 1, 'x') })])),
    expect(res) {
      problemOf(res, 413, ErrorCodes.FILE_TOO_LARGE);
    },
  },
  {
    name: 'answers 413 for more files than the field allows',
    request: post('/uploads/photos', multipartBody(['1', '2', '3', '4'].map((n) => photo(`${n}.png`)))),
    expect(res) {
      problemOf(res, 413, ErrorCodes.TOO_MANY_FILES);
    },
  },
  {
    name: 'answers 413 for a second file in a single-file field',
    request: post(
      '/uploads/photos',
      multipartBody([
        { ...photo('a.png'), name: 'cover' },
        { ...photo('b.png'), name: 'cover' },
      ]),
    ),
    expect(res) {
      problemOf(res, 413, ErrorCodes.TOO_MANY_FILES);
    },
  },
  {
    name: 'answers 415 for a file type the field does not accept',
    request: post('/uploads/photos', multipartBody([photo('a.pdf', 'application/pdf')])),
    expect(res) {
      problemOf(res, 415, ErrorCodes.UNSUPPORTED_FILE_TYPE);
    },
  },
  {
    name: 'answers 415 for a JSON body on an upload route',
    request: post('/uploads/photos', '{"photos":[]}', 'application/json'),
    expect(res) {
      problemOf(res, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE);
    },
  },
  {
    name: 'refuses req.form() on a multipart body instead of reading it as urlencoded',
    request: post('/uploads/form', multipartBody([{ name: 'a', content: '1' }])),
    expect(res) {
      problemOf(res, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE);
    },
  },
  ...(
    [
      ['no boundary parameter', multipartBody(meta), 'multipart/form-data'],
      ['a body cut short', multipartBody([...meta, doc()]).subarray(0, 150), MULTIPART_TYPE],
      ['an empty body', '', MULTIPART_TYPE],
      ['a body without its boundary', 'title=Tokyo', MULTIPART_TYPE],
      ['a different boundary', multipartBody(meta, 'other'), `multipart/form-data; boundary="${BOUNDARY}"`],
    ] as const
  ).map(([label, body, contentType]): Scenario => ({
    name: `answers 400 ${ErrorCodes.INVALID_MULTIPART} for ${label}`,
    request: post('/uploads/doc', body, contentType),
    expect(res) {
      problemOf(res, 400, ErrorCodes.INVALID_MULTIPART);
    },
  })),
];

describe('uploads (multipart/form-data) on every transport', () => {
  for (const transport of transports) {
    describe(`when served by ${transport.name}`, () => {
      let app: App;
      let client: Client;
      before(async () => {
        app = createApp({ controllers: [UploadsController, FormsController] });
        client = await transport.start(app);
      });
      after(() => client.close());

      for (const scenario of scenarios) {
        it(scenario.name, async () => {
          scenario.expect(await client.send(scenario.request));
        });
      }
    });
  }
});
