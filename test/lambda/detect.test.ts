import { expect } from 'chai';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createApp } from '../../src';
import { detectSource, isAlbEvent, isFunctionUrlEvent, isLatticeEvent, isV1Event, isV2Event } from '../../src/lambda';
import { awsEvent, capturedEventFiles } from './support/aws-events';

describe('detectSource', () => {
  const cases: Array<[string, string]> = [
    ['rest-v1-live-capture-stage-encoded-path.json', 'apigw-v1'],
    ['rest-v1-real-prod-stage-null-body.json', 'apigw-v1'],
    ['rest-v1-proxy-plus-docs-style.json', 'apigw-v1'],
    ['http-api-v2-live-capture-decoded-rawpath.json', 'apigw-v2'],
    ['http-api-v2-jwt-authorizer.json', 'apigw-v2'],
    ['function-url-live-capture-cookies-and-cookie-header.json', 'function-url'],
    ['alb-multivalue-live-capture-encoded-query.json', 'alb'],
    ['alb-single-value-headers.json', 'alb'],
    ['alb-health-check.json', 'alb'],
    ['vpc-lattice-v2-base.json', 'lattice'],
    ['vpc-lattice-v1-post-base64.json', 'lattice-v1'],
  ];
  for (const [file, source] of cases) {
    it(`detects ${file} as ${source}`, () => {
      expect(detectSource(awsEvent(file))).to.equal(source);
    });
  }

  describe('when a REST event behind a custom domain also carries rawPath (honojs/hono#5015)', () => {
    it('still detects payload 1.0', () => {
      const event = { ...awsEvent('rest-v1-live-capture-stage-encoded-path.json'), rawPath: '/v1/capture' };
      expect(detectSource(event)).to.equal('apigw-v1');
    });
  });

  describe('when a client sends headers that look like another source', () => {
    it('ignores them: detection reads only fields AWS sets', () => {
      const event = awsEvent('http-api-v2-live-capture-decoded-rawpath.json');
      (event.headers as Record<string, string>)['x-amzn-trace-id'] = 'Root=1-abc';
      (event.headers as Record<string, string>).host = 'x.lambda-url.us-east-1.on.aws';
      expect(detectSource(event)).to.equal('apigw-v2');
    });
  });

  describe('when the event is not HTTP', () => {
    for (const event of [{ Records: [] }, { source: 'aws.events' }, {}, null, 42, [], { requestContext: {} }]) {
      it(`returns undefined for ${JSON.stringify(event)}`, () => {
        expect(detectSource(event)).to.equal(undefined);
      });
    }
  });
});

describe('the event type guards', () => {
  const guards: Array<[string, (event: unknown) => boolean, (source: string | undefined) => boolean]> = [
    ['isAlbEvent', isAlbEvent, (source) => source === 'alb'],
    ['isV2Event', isV2Event, (source) => source === 'apigw-v2' || source === 'function-url'],
    ['isLatticeEvent', isLatticeEvent, (source) => source === 'lattice' || source === 'lattice-v1'],
    ['isV1Event', isV1Event, (source) => source === 'apigw-v1'],
  ];
  const alb = () => awsEvent('alb-single-value-headers.json');
  const events: Array<[string, () => unknown]> = [
    ...capturedEventFiles().map((file): [string, () => unknown] => [file, () => awsEvent(file)]),
    // Events that carry fields of two sources: the guards must follow detectSource's order.
    ['an ALB event with requestContext.http', () => ({ ...alb(), requestContext: { elb: {}, http: {} } })],
    ['an ALB event with requestContext.serviceArn', () => ({ ...alb(), requestContext: { elb: {}, serviceArn: 'a' } })],
    ['a 2.0 event with httpMethod', () => ({ ...awsEvent('http-api-v2-jwt-authorizer.json'), httpMethod: 'GET' })],
    ['a Lattice event with httpMethod', () => ({ ...awsEvent('vpc-lattice-v2-base.json'), httpMethod: 'GET' })],
  ];

  for (const [name, event] of events) {
    it(`agree with detectSource on ${name}: exactly one is true`, () => {
      const source = detectSource(event());
      const answers = guards.map(([, guard]) => guard(event()));
      expect(answers.filter(Boolean), 'guards that claim it').to.have.length(1);
      expect(answers).to.deep.equal(guards.map(([, , expected]) => expected(source)));
    });
  }

  it('tell Function URLs from HTTP APIs', () => {
    const v2 = awsEvent('http-api-v2-live-capture-decoded-rawpath.json');
    const url = awsEvent('function-url-live-capture-cookies-and-cookie-header.json');
    expect([isFunctionUrlEvent(v2), isFunctionUrlEvent(url), isFunctionUrlEvent(alb())]).to.deep.equal([
      false,
      true,
      false,
    ]);
  });

  it('claim nothing that is not HTTP', () => {
    for (const event of [{ Records: [] }, null, { requestContext: {} }, { httpMethod: 'GET' }]) {
      expect(guards.map(([, guard]) => guard(event))).to.deep.equal([false, false, false, false]);
    }
  });
});

describe('the handler type', () => {
  it('accepts the event and context types of @types/aws-lambda', async () => {
    const handler = createApp({ controllers: [] }).lambda();
    const event = awsEvent('rest-v1-real-prod-stage-null-body.json') as unknown as APIGatewayProxyEvent;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'f',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      memoryLimitInMB: '128',
      awsRequestId: 'id',
      logGroupName: 'g',
      logStreamName: 's',
      getRemainingTimeInMillis: () => 1000,
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
    expect((await handler(event, context)).statusCode).to.equal(404);
  });
});
