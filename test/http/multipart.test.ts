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

    it('keeps file bytes that are not UTF-8 exactly', async () => {
      const form = await parseMultipart(multipartBody([file(NOT_UTF8)]), MULTIPART_TYPE, plan());
      expect(form.files[0]!.bytes.equals(NOT_UTF8)).to.equal(true);
    });

    it('keeps a line inside the content that only starts like the boundary', async () => {
      const content = `--${BOUNDARY.slice(0, -1)}\r\n-${BOUNDARY}\r\n`;
      const form = await parseMultipart(multipartBody([file(content)]), MULTIPART_TYPE, plan());
      expect(form.files[0]!.bytes.toString()).to.equal(content);
    });

    it('ends a part at a boundary inside its content (RFC 2046 §5.1.1 forbids one there)', async () => {
      const form = await parseMultipart(
        multipartBody([file(`before\r\n--${BOUNDARY}\r\nafter`)]),
        MULTIPART_TYPE,
        plan(),
      );
      // What follows the false boundary is a part without Content-Disposition, which is dropped.
      expect(form.files.map((doc) => doc.bytes.toString())).to.deep.equal(['before']);
    });

    const names: Array<[string, Partial<PartSpec>, string]> = [
      ['a raw UTF-8 filename', { fileName: '日本語 ü.csv' }, '日本語 ü.csv'],
      ["RFC 7578 filename*=UTF-8''…", { fileName: undefined, fileNameStar: '郵便番号.csv' }, '郵便番号.csv'],
      [
        'filename when filename* comes too (RFC 7578 §4.2 defines filename only)',
        { fileName: 'plain.csv', fileNameStar: 'ä.csv' },
        'plain.csv',
      ],
      ['a path in the filename (only its last segment is kept)', { fileName: 'C:\\Users\\me\\a.csv' }, 'a.csv'],
    ];
    for (const [label, spec, expected] of names) {
      it(`reads ${label}`, async () => {
        const form = await parseMultipart(multipartBody([file('x', spec)]), MULTIPART_TYPE, plan());
        expect(form.files[0]!.fileName).to.equal(expected);
      });
    }

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
      ['an empty body', Buffer.alloc(0), MULTIPART_TYPE],
      ['a body without the boundary', Buffer.from('just some text'), MULTIPART_TYPE],
      ['a body cut inside a part', good.subarray(0, 60), MULTIPART_TYPE],
      ['a body without its closing boundary', good.subarray(0, good.length - BOUNDARY.length - 6), MULTIPART_TYPE],
      ['a text part without a field name', multipartBody([{ content: 'x' }]), MULTIPART_TYPE],
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
