import { expect } from 'chai';
import { parameterOf, parseHeaderParameters } from '../../src/http/header-parameters';

describe('parseHeaderParameters', () => {
  describe('when a value has parameters', () => {
    const cases: Array<[string, string, Array<[string, string]>]> = [
      [
        'form-data; name="doc"; filename="a.csv"',
        'form-data',
        [
          ['name', 'doc'],
          ['filename', 'a.csv'],
        ],
      ],
      ['Multipart/Form-Data; BOUNDARY=abc', 'multipart/form-data', [['boundary', 'abc']]],
      [
        'form-data; filename="a\\"b;c.csv"; x = 1',
        'form-data',
        [
          ['filename', 'a"b;c.csv'],
          ['x', '1'],
        ],
      ],
      ['form-data; filename="C:\\dir\\a.csv"', 'form-data', [['filename', 'C:\\dir\\a.csv']]],
      ['form-data; flag; ;; name=x', 'form-data', [['name', 'x']]],
    ];
    for (const [header, value, parameters] of cases) {
      it(`reads ${header}`, () => {
        expect(parseHeaderParameters(header)).to.deep.equal({ value, parameters });
      });
    }

    it('gives the first parameter of a name, as busboy reads a boundary', () => {
      expect(parameterOf(parseHeaderParameters('x; boundary=a; boundary=b')!, 'boundary')).to.equal('a');
    });
  });

  describe('when a quoted-string is not closed', () => {
    it('gives undefined', () => {
      expect(parseHeaderParameters('form-data; name="doc')).to.equal(undefined);
    });
  });
});
