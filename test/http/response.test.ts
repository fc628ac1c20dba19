import { expect } from 'chai';
import { CrestUsageError, ErrorCodes, HttpResponse } from '../../src';

describe('HttpResponse', () => {
  describe('when built with the static builders', () => {
    const cases: Array<[string, HttpResponse, number, string | undefined]> = [
      ['json', HttpResponse.json({ a: 1 }), 200, 'application/json; charset=utf-8'],
      ['text', HttpResponse.text('hi', { status: 201 }), 201, 'text/plain; charset=utf-8'],
      ['binary', HttpResponse.binary(Buffer.from([1])), 200, 'application/octet-stream'],
      ['redirect', HttpResponse.redirect('/x'), 302, undefined],
      ['redirect 301', HttpResponse.redirect('/x', { status: 301 }), 301, undefined],
      ['empty', HttpResponse.empty(), 204, undefined],
      ['empty 202', HttpResponse.empty({ status: 202 }), 202, undefined],
    ];
    for (const [name, response, status, type] of cases) {
      it(`${name} has status ${status} and type ${String(type)}`, () => {
        expect(response.status).to.equal(status);
        expect(response.headers['content-type']).to.equal(type);
      });
    }
  });

  it('keeps multi-value headers and a separate cookie list', () => {
    const response = HttpResponse.json(
      {},
      { headers: { 'X-Multi': ['a', 'b'], 'Content-Length': 3, 'set-cookie': 'a=1' }, cookies: ['b=2'] },
    );
    expect(response.headers['x-multi']).to.deep.equal(['a', 'b']);
    expect(response.headers['content-length']).to.equal('3');
    expect(response.cookies).to.deep.equal(['b=2', 'a=1']);
    response.appendHeader('x-multi', 'c').cookie('c', 'x y', { httpOnly: true });
    expect(response.headers['x-multi']).to.deep.equal(['a', 'b', 'c']);
    expect(response.cookies[2]).to.equal('c=x%20y; HttpOnly');
  });

  it('refuses header values that would inject a header (CR/LF)', () => {
    const invalidHeader = { code: ErrorCodes.INVALID_HEADER };
    expect(() => HttpResponse.text('x').header('x-a', 'ok\r\nset-cookie: evil=1'))
      .to.throw(TypeError)
      .that.includes(invalidHeader);
    expect(() => HttpResponse.text('x').header('bad name', 'v'))
      .to.throw(TypeError)
      .that.includes(invalidHeader);
    expect(() => HttpResponse.redirect('/a\r\nx: y'))
      .to.throw(TypeError)
      .that.includes(invalidHeader);
    expect(() => HttpResponse.text('x').cookie('a', 'b', { path: '/\r\n' })).to.throw();
  });

  it('refuses an invalid status', () => {
    expect(() => HttpResponse.json({}, { status: 42 }))
      .to.throw(CrestUsageError)
      .that.includes({ code: ErrorCodes.INVALID_STATUS });
  });

  it('serializes JSON once', () => {
    const response = HttpResponse.json({ a: [1, 2] });
    const first = response.payload();
    expect(first).to.equal('{"a":[1,2]}');
    expect(response.payload()).to.equal(first);
  });
});
