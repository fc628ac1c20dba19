import { expect } from 'chai';
import { Expose } from 'class-transformer';
import { ArrayUnique, IsArray, IsString } from 'class-validator';
import { Body, Controller, createApp, Post, type App, type ValidationOptions } from '../../src';
import { bootError } from '../routing/support/boot-error';

/** class-validator's `@ArrayUnique()` compares every pair of items. */
class Tags {
  @IsArray() @ArrayUnique() tags!: number[];
}

/** `@Expose` renames a key: class-transformer builds the instance, not crest. */
class RenamedNote {
  @Expose({ name: 'note_text' }) @IsString() text!: string;
}

@Controller()
class CapsController {
  @Post('/tags') tags(@Body() body: Tags) {
    return { tags: body.tags.length };
  }
  @Post('/renamed-notes') note(@Body() note: RenamedNote) {
    return note;
  }
}

const app = (validation: ValidationOptions): App => createApp({ controllers: [CapsController], validation });
const numbers = (count: number) => Array.from({ length: count }, (_, i) => i).join(',');
const members = (count: number) => Array.from({ length: count }, (_, i) => `"k${i}":1`).join(',');
const post = (target: App, url: string, body: string) =>
  target.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });

describe('validation caps (maxUniqueItems, maxTransformedKeys)', () => {
  describe('when raised', () => {
    it('accepts an @ArrayUnique() array up to the new cap, refuses one past it', async () => {
      const raised = app({ maxUniqueItems: 1500 });
      const within = await post(raised, '/tags', `{"tags":[${numbers(1500)}]}`);
      expect(within.statusCode, within.body).to.equal(200);
      const over = await post(raised, '/tags', `{"tags":[${numbers(1501)}]}`);
      expect(over.json()).to.include({ status: 400, code: 'CREST_TOO_MANY_ITEMS' });
    });
  });

  describe('when lowered', () => {
    it('refuses an object of a class-transformer-built DTO past the cap, before validation', async () => {
      const lowered = app({ maxTransformedKeys: 3, whitelist: false });
      const within = await post(lowered, '/renamed-notes', `{"note_text":"a",${members(2)}}`);
      expect(within.statusCode, within.body).to.equal(200);
      const over = await post(lowered, '/renamed-notes', `{"note_text":"a",${members(3)}}`);
      expect(over.json()).to.include({ status: 400, code: 'CREST_TOO_MANY_KEYS' });
    });
  });

  describe('when not a whole number of at least 1', () => {
    const cases: Array<[keyof ValidationOptions, unknown]> = [
      ['maxUniqueItems', 0],
      ['maxUniqueItems', 1.5],
      ['maxTransformedKeys', -1],
      ['maxTransformedKeys', Number.NaN],
    ];
    for (const [name, value] of cases) {
      it(`refuses to boot with ${name}: ${String(value)}`, () => {
        const error = bootError([CapsController], { validation: { [name]: value } as ValidationOptions });
        expect(error.code).to.equal('CREST_INVALID_OPTION');
        expect(error.message).to.include(`validation.${name}`);
      });
    }
  });
});
