import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { decodeLogStream, type LogStreamData } from '../../src';

/** A DATA_MESSAGE as CloudWatch Logs delivers it to a subscribed function (AWS docs example shape). */
const payload: LogStreamData = {
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: '/aws/lambda/crest-example',
  logStream: '2026/07/10/[$LATEST]0123456789abcdef0123456789abcdef',
  subscriptionFilters: ['crest-errors'],
  logEvents: [
    {
      id: '37963539530963838934564950216212983283524355829113569280',
      timestamp: 1783711144836,
      message: 'START RequestId: 7c2af7db\n',
    },
    {
      id: '37963539530963838934564950216212983283524355829113569281',
      timestamp: 1783711144840,
      message: '{"level":50,"msg":"request failed","requestId":"7c2af7db","unicode":"λ 世界"}\n',
    },
  ],
};

const event = (data: unknown) => ({
  awslogs: { data: gzipSync(Buffer.from(JSON.stringify(data))).toString('base64') },
});

describe('decodeLogStream', () => {
  describe('when given a CloudWatch Logs subscription event', () => {
    it('returns the gunzipped JSON, synchronously', () => {
      const decoded = decodeLogStream(event(payload));
      expect(decoded).to.deep.equal(payload);
      expect(JSON.parse(decoded.logEvents[1]!.message)).to.include({ unicode: 'λ 世界' });
    });

    it('decodes the CONTROL_MESSAGE probe CloudWatch sends when the subscription is created', () => {
      const control = { ...payload, messageType: 'CONTROL_MESSAGE', logGroup: '', logStream: '', logEvents: [] };
      expect(decodeLogStream(event(control)).messageType).to.equal('CONTROL_MESSAGE');
    });
  });

  describe('when given anything else', () => {
    it('throws a TypeError for an event without awslogs.data', () => {
      expect(() => decodeLogStream({ Records: [] })).to.throw(TypeError);
      expect(() => decodeLogStream(null)).to.throw(TypeError);
    });

    it('throws for data that is not gzip', () => {
      expect(() => decodeLogStream({ awslogs: { data: Buffer.from('{}').toString('base64') } })).to.throw();
    });

    it('throws a TypeError for JSON without logEvents', () => {
      expect(() => decodeLogStream(event({ hello: 1 }))).to.throw(TypeError);
    });
  });
});
