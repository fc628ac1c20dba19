import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs one entry of support/reflect-order in a fresh process (the global Reflect is per process). */
function answers(entry: string): { valid: unknown[]; undeclared: unknown[]; reflectMetadataPackage: boolean } {
  const output = execFileSync(process.execPath, [join(__dirname, 'support/reflect-order', `${entry}.js`)], {
    encoding: 'utf8',
  });
  return JSON.parse(output) as ReturnType<typeof answers>;
}

const VALID = [200, { name: 'Rex', owner: 'Ann', instances: true }];
const UNDECLARED = [400, ['owner.role']];

describe('the Reflect metadata API crest reads types through', () => {
  describe('when an app loads crest and reflect-metadata in either order, or crest alone', () => {
    const orders = [
      { entry: 'crest-alone', reflectMetadataPackage: false },
      { entry: 'crest-then-reflect-metadata', reflectMetadataPackage: true },
      { entry: 'reflect-metadata-first', reflectMetadataPackage: true },
    ];
    for (const { entry, reflectMetadataPackage } of orders) {
      it(`${entry}: reads the body's DTO and its nested DTO from tsc's metadata`, () => {
        // crest-then-reflect-metadata: the DTOs were decorated under crest's polyfill, the
        // controller under reflect-metadata, which reads crest's records through its fallback;
        // crest finds the controller's types only if it reads through the global Reflect.
        expect(answers(entry)).to.deep.equal({ valid: VALID, undeclared: UNDECLARED, reflectMetadataPackage });
      });
    }
  });

  describe('when crest installs its own (no polyfill loaded before it)', () => {
    // Run in a fresh process: this one may hold reflect-metadata, loaded by other tests.
    const script = `
      require('crest');
      const R = Reflect;
      class Base {}
      class Derived extends Base {}
      R.defineMetadata('k', 'base', Base.prototype, 'p');
      R.metadata('k2', 2)(Derived.prototype, 'p');
      R.metadata('c', 'class')(Base);
      const errors = [];
      try { R.getMetadata('k', 'not an object', 'p'); } catch (e) { errors.push(e.constructor.name); }
      const calls = [];
      const decorated = R.decorate(
        [(t, k, d) => { calls.push('first saw ' + d.value); }, (t, k, d) => { calls.push('second saw ' + d.value); return { ...d, value: 2 }; }],
        Base.prototype, 'm', { value: 1, writable: true, configurable: true });
      class Replacement {}
      const out = {
        installed: [typeof R.decorate, Symbol.for('@reflect-metadata:registry') in R],
        decorate: [calls, decorated.value, R.decorate([() => Replacement, () => undefined], Base) === Replacement],
        inherited: R.getMetadata('k', Derived.prototype, 'p'),
        own: R.getOwnMetadata('k', Derived.prototype, 'p') ?? null,
        hasOwn: [R.hasOwnMetadata('k2', Derived.prototype, 'p'), R.hasOwnMetadata('k', Derived.prototype, 'p')],
        has: R.hasMetadata('k', Derived.prototype, 'p'),
        keys: R.getMetadataKeys(Derived.prototype, 'p'),
        ownKeys: R.getOwnMetadataKeys(Derived.prototype, 'p'),
        onTheClass: [R.getMetadata('c', Derived), R.getMetadata('c', Base, undefined), R.getMetadata('c', Base.prototype) ?? null],
        deleted: [R.deleteMetadata('k2', Derived.prototype, 'p'), R.deleteMetadata('k2', Derived.prototype, 'p')],
        afterDelete: R.getOwnMetadataKeys(Derived.prototype, 'p'),
        errors,
      };
      console.log(JSON.stringify(out));
    `;

    it('answers as reflect-metadata does: decorators last first, own records, the prototype chain, keys, deletion, object targets only', () => {
      const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as unknown;
      expect(out).to.deep.equal({
        installed: ['function', false],
        decorate: [['second saw 1', 'first saw 2'], 2, true],
        inherited: 'base',
        own: null,
        hasOwn: [true, false],
        has: true,
        keys: ['k2', 'k'],
        ownKeys: ['k2'],
        onTheClass: ['class', 'class', null],
        deleted: [true, false],
        afterDelete: [],
        errors: ['TypeError'],
      });
    });
  });
});
