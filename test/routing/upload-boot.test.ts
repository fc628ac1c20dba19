import { expect } from 'chai';
import { Controller, createApp, CrestBootError, ErrorCodes, Post, UploadedFile, UploadedFiles } from '../../src';
import { bootError } from './support/boot-error';

@Controller()
class Twice {
  @Post('/') upload(@UploadedFile('doc') a: UploadedFile, @UploadedFiles('doc') b: UploadedFile[]) {
    return [a, b];
  }
}

@Controller()
class BadType {
  @Post('/') upload(@UploadedFile('doc', { contentTypes: ['csv'] }) doc: UploadedFile) {
    return doc;
  }
}

@Controller()
class BadSize {
  @Post('/') upload(@UploadedFiles('doc', { maxFileSize: 0.5 }) docs: UploadedFile[]) {
    return docs;
  }
}

@Controller()
class Fine {
  @Post('/') upload(@UploadedFile('doc') doc: UploadedFile) {
    return doc;
  }
}

describe('createApp with upload routes', () => {
  describe('when a route declares its file fields wrongly', () => {
    const cases: Array<[string, Parameters<typeof bootError>[0], RegExp]> = [
      ['a field declared twice', [Twice], /Twice\.upload: the file field 'doc' is declared twice/],
      ['a contentTypes entry that is no media type', [BadType], /BadType\.upload: contentTypes of 'doc'/],
      ['a maxFileSize that is not a whole number', [BadSize], /BadSize\.upload: the file field 'doc' needs/],
    ];
    for (const [label, controllers, message] of cases) {
      it(`refuses ${label} with ${ErrorCodes.INVALID_ROUTE}, naming the method`, () => {
        const error = bootError(controllers);
        expect(error.code).to.equal(ErrorCodes.INVALID_ROUTE);
        expect(error.message).to.match(message);
      });
    }
  });

  describe('when the multipart option is out of range', () => {
    const cases: Array<[string, object]> = [
      ['a totalSize above bodyLimit', { bodyLimit: 1000, multipart: { totalSize: 1001 } }],
      ['a limit of 0', { multipart: { files: 0 } }],
      ['a fractional limit', { multipart: { fieldSize: 1.5 } }],
    ];
    for (const [label, options] of cases) {
      it(`refuses ${label} with ${ErrorCodes.INVALID_OPTION}`, () => {
        expect(() => createApp({ controllers: [Fine], ...options }))
          .to.throw(CrestBootError)
          .with.property('code', ErrorCodes.INVALID_OPTION);
      });
    }
  });
});
