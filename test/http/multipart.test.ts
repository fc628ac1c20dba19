import { expect } from 'chai';
import { ErrorCodes, HttpError } from '../../src';
import { parseMultipart, type FileFieldRule, type MultipartPlan } from '../../src/http/multipart';
import { MultipartReader } from '../../src/http/multipart-reader';
import { BOUNDARY, multipartBody, MULTIPART_TYPE, NOT_UTF8, type PartSpec } from '../uploads/support/multipart-body';

const LIMITS = { fileSize: 1000, files: 3, fields: 3, fieldSize: 100, parts: 6, totalSize: 10_000 };

function plan(fields: Record<string, Partial<FileFieldRule>> = { doc: {} }): MultipartPlan {
  const fileFields = new Map(
    Object.entries(fields).map(([name, rule]) => [
      name,
      { maxFileSize: LIMITS.fileSize, maxCount: LIMITS.files, contentTypes: undefined, ...rule },
    ]),
  );
  return { limits: LIMITS, fileFields, parser: MultipartReader };
}

async function refusal(body: Buffer, contentType = MULTIPART_TYPE, rules = plan()): Promise<HttpError> {
  try {
    await parseMultipart(body, contentType, rules);
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('the body was accepted');
}

const file = (content: string | Buffer, extra: Partial<PartSpec> = {}): PartSpec => ({
  name: 'doc',
  fileName: 'a.txt',
  contentType: 'text/plain',
  content,
  ...extra,
});

const fields = (count: number): PartSpec[] =>
  Array.from({ length: count }, (_, i) => ({ name: `f${i}`, content: '1' }));
const emptyFiles = (count: number): PartSpec[] =>
  Array.from({ length: count }, () => file('', { fileName: '', contentType: 'application/octet-stream' }));

/** Bodies a boundary inside a file's content cuts into a part and bytes that are no part. */
const CUT_BODIES: Array<[string, Buffer]> = [
  [
    'a boundary inside a content, followed by bytes without headers',
    multipartBody([file(`before\r\n--${BOUNDARY}\r\nafter`), { name: 'tag', content: 'a' }]),
  ],
  [
    'a boundary inside a content, followed by headers without Content-Disposition',
    multipartBody([file(`before\r\n--${BOUNDARY}\r\ncontent-type: text/plain\r\n\r\nafter`)]),
  ],
  [
    'a boundary inside a content, followed by binary bytes',
    multipartBody([file(Buffer.concat([Buffer.from(`a\r\n--${BOUNDARY}\r\n`), NOT_UTF8, Buffer.from('\r\n\r\nz')]))]),
  ],
  [
    'a closing boundary inside a content, with the rest of the body after it',
    multipartBody([file(`before\r\n--${BOUNDARY}--\r\nafter`), { name: 'tag', content: 'a' }]),
  ],
  ['an empty part between two boundaries', Buffer.from(`--${BOUNDARY}\r\n\r\n\r\n--${BOUNDARY}--\r\n`)],
];

describe('parseMultipart', () => {
  describe('when the body is well formed', () => {
    it('gives text fields (every value, in order) and files with their bytes', async () => {
      const form = await parseMultipart(
        multipartBody([
          { name: 'tag', content: 'a' },
          file('x,y\n', { contentType: 'text/csv', fileName: 'codes.csv' }),
          { name: 'tag', content: 'b' },
        ]),
        MULTIPART_TYPE,
        plan(),
      );
      expect(form.fields.tag).to.deep.equal(['a', 'b']);
      expect(form.files).to.have.length(1);
      const [doc] = form.files;
      expect(doc).to.include({ fieldName: 'doc', fileName: 'codes.csv', contentType: 'text/csv', size: 4 });
      expect(doc!.bytes.toString()).to.equal('x,y\n');
    });

    it('reads a boundary of 70 characters, quoted', async () => {
      const boundary = `${'b'.repeat(69)}'`;
      const form = await parseMultipart(
        multipartBody([file('x')], boundary),
        `multipart/form-data; boundary="${boundary}"`,
        plan(),
      );
      expect(form.files).to.have.length(1);
    });

    it('keeps file bytes that are not UTF-8 exactly', async () => {
      const form = await parseMultipart(multipartBody([file(NOT_UTF8)]), MULTIPART_TYPE, plan());
      expect(form.files[0]!.bytes.equals(NOT_UTF8)).to.equal(true);
    });

    it('keeps a line inside the content that only starts like the boundary', async () => {
      const content = `--${BOUNDARY.slice(0, -1)}\r\n-${BOUNDARY}\r\n`;
      const form = await parseMultipart(multipartBody([file(content)]), MULTIPART_TYPE, plan());
      expect(form.files[0]!.bytes.toString()).to.equal(content);
    });

    const names: Array<[string, Partial<PartSpec>, string]> = [
      ['a raw UTF-8 filename', { fileName: '日本語 ü.csv' }, '日本語 ü.csv'],
      ["RFC 8187 filename*=UTF-8''…", { fileName: undefined, fileNameStar: '郵便番号.csv' }, '郵便番号.csv'],
      [
        'filename* over a filename written before it (RFC 6266 §4.3)',
        { fileName: 'plain.csv', fileNameStar: 'ä.csv' },
        'ä.csv',
      ],
      [
        'filename* over a filename written after it',
        { disposition: `form-data; name="doc"; filename*=UTF-8''%E9%83%B5%E4%BE%BF.csv; filename="plain.csv"` },
        '郵便.csv',
      ],
      [
        'filename* with a language tag and a lower-case charset',
        { disposition: `form-data; name="doc"; filename*=utf-8'ja'%E6%97%A5%E6%9C%AC.csv` },
        '日本.csv',
      ],
      [
        'filename* in ISO-8859-1',
        { disposition: `form-data; name="doc"; filename="a.csv"; filename*=ISO-8859-1''%E4%F6.csv` },
        'äö.csv',
      ],
      [
        'filename when filename* names a charset other than UTF-8 or ISO-8859-1',
        { disposition: `form-data; name="doc"; filename*=Shift_JIS''%93%FA.csv; filename="日本.csv"` },
        '日本.csv',
      ],
      [
        'filename when filename* has a % without two hex digits',
        { disposition: `form-data; name="doc"; filename="plain.csv"; filename*=UTF-8''%zz.csv` },
        'plain.csv',
      ],
      [
        'filename when filename* is not UTF-8',
        { disposition: `form-data; name="doc"; filename*=UTF-8''%FF%FE.csv; filename="plain.csv"` },
        'plain.csv',
      ],
      [
        'filename when filename* has no charset',
        { disposition: `form-data; name="doc"; filename="plain.csv"; filename*=a.csv` },
        'plain.csv',
      ],
      [
        'filename* without its directories',
        { disposition: `form-data; name="doc"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd` },
        'passwd',
      ],
      ['a path in the filename (only its last segment is kept)', { fileName: 'C:\\Users\\me\\a.csv' }, 'a.csv'],
    ];
    for (const [label, spec, expected] of names) {
      it(`reads ${label}`, async () => {
        const form = await parseMultipart(multipartBody([file('x', spec)]), MULTIPART_TYPE, plan());
        expect(form.files[0]!.fileName).to.equal(expected);
      });
    }

    it('gives a stream of the file bytes, a new one at each call', async () => {
      const content = Buffer.concat([NOT_UTF8, Buffer.alloc(150_000, 1)]);
      const limits = { ...LIMITS, fileSize: 200_000, totalSize: 300_000 };
      const rules = { ...plan({ doc: { maxFileSize: 200_000 } }), limits };
      const form = await parseMultipart(multipartBody([file(content)]), MULTIPART_TYPE, rules);
      const read = async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of form.files[0]!.stream()) chunks.push(chunk as Buffer);
        return chunks;
      };
      const chunks = await read();
      expect(chunks.length).to.be.greaterThan(1);
      expect(Buffer.concat(chunks).equals(content)).to.equal(true);
      expect(Buffer.concat(await read()).equals(content)).to.equal(true);
    });

    it('reads what follows a boundary inside a content as a part, when it is one', async () => {
      // RFC 2046 §5.1.1: the boundary must not occur in a content; when it does, the bytes after it
      // are read as the part they look like. Nothing tells them from a part the client meant.
      const inner = `before\r\n--${BOUNDARY}\r\ncontent-disposition: form-data; name="tag"\r\n\r\nafter`;
      const form = await parseMultipart(multipartBody([file(inner)]), MULTIPART_TYPE, plan());
      expect(form.files.map((doc) => doc.bytes.toString())).to.deep.equal(['before']);
      expect(form.fields.tag).to.deep.equal(['after']);
    });

    it('ignores an epilogue after the closing boundary that holds no boundary (RFC 2046 §5.1.1)', async () => {
      const body = Buffer.concat([multipartBody([file('x')]), Buffer.from('an epilogue\r\n')]);
      const form = await parseMultipart(body, MULTIPART_TYPE, plan());
      expect(form.files).to.have.length(1);
    });

    it('skips the empty part a browser sends for a file input left empty', async () => {
      const form = await parseMultipart(
        multipartBody([file('', { name: 'other', fileName: '', contentType: 'application/octet-stream' })]),
        MULTIPART_TYPE,
        plan(),
      );
      expect(form.files).to.deep.equal([]);
    });
  });

  describe('when a limit is broken', () => {
    const big = 'x'.repeat(LIMITS.fileSize + 1);
    const cases: Array<[string, Buffer, MultipartPlan, number, string]> = [
      ['a file over the app limit', multipartBody([file(big)]), plan(), 413, ErrorCodes.FILE_TOO_LARGE],
      [
        'a file over its field limit',
        multipartBody([file('12345')]),
        plan({ doc: { maxFileSize: 4 } }),
        413,
        ErrorCodes.FILE_TOO_LARGE,
      ],
      [
        'more files than the app allows',
        multipartBody([file('1'), file('2'), file('3'), file('4')]),
        plan(),
        413,
        ErrorCodes.TOO_MANY_FILES,
      ],
      [
        'more files than the field allows',
        multipartBody([file('1'), file('2')]),
        plan({ doc: { maxCount: 1 } }),
        413,
        ErrorCodes.TOO_MANY_FILES,
      ],
      [
        'more fields than allowed',
        multipartBody(['a', 'b', 'c', 'd'].map((name) => ({ name, content: '1' }))),
        plan(),
        413,
        ErrorCodes.TOO_MANY_FIELDS,
      ],
      [
        'a field over its size',
        multipartBody([{ name: 'a', content: 'y'.repeat(LIMITS.fieldSize + 1) }]),
        plan(),
        413,
        ErrorCodes.FIELD_TOO_LARGE,
      ],
      [
        'more parts than allowed',
        multipartBody([...fields(3), ...emptyFiles(3), ...fields(1)]),
        plan(),
        413,
        ErrorCodes.TOO_MANY_PARTS,
      ],
      [
        'a body over the total',
        multipartBody([file('x'.repeat(LIMITS.totalSize))]),
        plan({ doc: { maxFileSize: 20_000 } }),
        413,
        ErrorCodes.BODY_TOO_LARGE,
      ],
      [
        'a file in an undeclared field',
        multipartBody([file('1', { name: 'avatar' })]),
        plan(),
        400,
        ErrorCodes.VALIDATION,
      ],
      [
        'a file of a type the field refuses',
        multipartBody([file('1', { contentType: 'image/png' })]),
        plan({ doc: { contentTypes: ['text/csv', 'application/*'] } }),
        415,
        ErrorCodes.UNSUPPORTED_FILE_TYPE,
      ],
    ];
    for (const [label, body, rules, status, code] of cases) {
      it(`answers ${status} ${code} for ${label}`, async () => {
        const error = await refusal(body, MULTIPART_TYPE, rules);
        expect([error.status, error.code]).to.deep.equal([status, code]);
      });
    }

    it('names the undeclared file field in errors[] like an unknown JSON property', async () => {
      const error = await refusal(multipartBody([file('1', { name: 'avatar' })]));
      expect(error.errors).to.deep.equal([
        { in: 'body', path: 'avatar', code: 'unexpectedFile', message: 'file field "avatar" is not expected' },
      ]);
    });

    it('accepts media type ranges', async () => {
      const form = await parseMultipart(
        multipartBody([file('1', { contentType: 'image/png' })]),
        MULTIPART_TYPE,
        plan({ doc: { contentTypes: ['image/*'] } }),
      );
      expect(form.files[0]!.contentType).to.equal('image/png');
    });
  });

  describe('when the body is malformed', () => {
    const good = multipartBody([{ name: 'a', content: 'hello' }, file('x,y')]);
    const cases: Array<[string, Buffer, string]> = [
      ['no boundary in the Content-Type', good, 'multipart/form-data'],
      [
        'a boundary longer than 70 characters (RFC 2046 §5.1.1)',
        multipartBody([file('x')], 'b'.repeat(71)),
        `multipart/form-data; boundary=${'b'.repeat(71)}`,
      ],
      ['an empty body', Buffer.alloc(0), MULTIPART_TYPE],
      ['a body without the boundary', Buffer.from('just some text'), MULTIPART_TYPE],
      ['a body cut inside a part', good.subarray(0, 60), MULTIPART_TYPE],
      ['a body without its closing boundary', good.subarray(0, good.length - BOUNDARY.length - 6), MULTIPART_TYPE],
      ['a text part without a field name', multipartBody([{ content: 'x' }]), MULTIPART_TYPE],
      ['a file part without a field name', multipartBody([file('x', { name: undefined })]), MULTIPART_TYPE],
      ['a part without Content-Disposition', multipartBody([file('x', { disposition: null })]), MULTIPART_TYPE],
      [
        'a part whose disposition is not form-data',
        multipartBody([file('x', { disposition: 'attachment; name="doc"; filename="a.csv"' })]),
        MULTIPART_TYPE,
      ],
      [
        'filename* that cannot be decoded, and no filename to fall back on',
        multipartBody([file('x', { disposition: `form-data; name="doc"; filename*=UTF-8''%zz` })]),
        MULTIPART_TYPE,
      ],
      ...CUT_BODIES.map(([label, body]): [string, Buffer, string] => [label, body, MULTIPART_TYPE]),
    ];
    for (const [label, body, contentType] of cases) {
      it(`answers 400 ${ErrorCodes.INVALID_MULTIPART} for ${label}`, async () => {
        const error = await refusal(body, contentType);
        expect([error.status, error.code]).to.deep.equal([400, ErrorCodes.INVALID_MULTIPART]);
      });
    }
  });
});

describe('MultipartReader', () => {
  describe('when bytes arrive in pieces', () => {
    for (const [label, body] of CUT_BODIES) {
      it(`refuses ${label}, split at every byte`, async () => {
        const reader = new MultipartReader(MULTIPART_TYPE, plan());
        for (let i = 0; i < body.length; i++) reader.write(body.subarray(i, i + 1));
        const error = await reader.end().then(
          () => undefined,
          (refused: HttpError) => refused,
        );
        expect(error?.code).to.equal(ErrorCodes.INVALID_MULTIPART);
      });
    }

    it('parses a body split at every byte', async () => {
      const body = multipartBody([{ name: 'a', content: 'héllo' }, file(NOT_UTF8)]);
      const reader = new MultipartReader(MULTIPART_TYPE, plan());
      for (let i = 0; i < body.length; i++) reader.write(body.subarray(i, i + 1));
      const form = await reader.end();
      expect(form.fields.a).to.deep.equal(['héllo']);
      expect(form.files[0]!.bytes.equals(NOT_UTF8)).to.equal(true);
    });

    it('refuses the chunk that passes the total, and every chunk after it', () => {
      const reader = new MultipartReader(MULTIPART_TYPE, plan());
      expect(reader.write(Buffer.alloc(LIMITS.totalSize))).to.equal(true);
      expect(reader.write(Buffer.alloc(1))).to.equal(false);
      expect(reader.error?.code).to.equal(ErrorCodes.BODY_TOO_LARGE);
      expect(reader.write(Buffer.alloc(1))).to.equal(false);
    });
  });
});
