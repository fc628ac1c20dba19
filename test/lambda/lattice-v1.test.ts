import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Body, Controller, createApp, Ctx, Get, Header, HttpRequest, Post, Query, Req } from '../../src';
import type { LambdaContext } from '../../src';
import { lambdaContext, readLambdaResult } from '../../src/testing';
import { invokeStreaming, localStreamingRuntime } from './support/local-streaming-runtime';
import { awsEvent } from './support/aws-events';

class Quantity {
  @IsInt()
  qty!: number;
}

@Controller('/orders')
class Orders {
  @Post('/:id')
  update(
    @Req() req: HttpRequest,
    @Body() body: Quantity,
    @Query('order-id') orderId: number,
    @Query('note') note: string,
    @Header('content-type') type: string,
    @Ctx() ctx: LambdaContext,
  ) {
    return { id: req.params.id, qty: body.qty, orderId, note, type, ip: req.ip, source: ctx.source };
  }

  @Get('/')
  list() {
    return [];
  }
}

describe('VPC Lattice events, structure version 1', () => {
  describe('when the buffered handler gets one', () => {
    it('reads raw_path, the snake_case query, headers and base64 body, and answers in the Lattice shape', async () => {
      const handler = createApp({ controllers: [Orders] }).lambda();
      const result = await handler(awsEvent('vpc-lattice-v1-post-base64.json'), lambdaContext());
      expect(result).to.include({ statusCode: 200, statusDescription: '200 OK' });
      const client = readLambdaResult(result, 'lattice');
      expect(JSON.parse(client.body)).to.deep.equal({
        id: '42',
        qty: 3,
        orderId: 1,
        note: 'a b',
        type: 'application/json',
        ip: '10.213.229.10',
        source: 'lattice-v1',
      });
    });
  });

  describe('when the event is malformed', () => {
    it('answers 400 CREST_INVALID_EVENT', async () => {
      const handler = createApp({ controllers: [Orders] }).lambda();
      const event = { ...awsEvent('vpc-lattice-v1-post-base64.json'), raw_path: 'orders' };
      const client = readLambdaResult(await handler(event, lambdaContext()), 'lattice');
      expect(client.statusCode).to.equal(400);
      expect(JSON.parse(client.body)).to.include({ code: 'CREST_INVALID_EVENT' });
    });
  });

  describe('when the streaming handler gets one', () => {
    it('streams the answer', async () => {
      const handler = createApp({ controllers: [Orders] }).lambdaStreaming({ runtime: localStreamingRuntime });
      const event = { ...awsEvent('vpc-lattice-v1-post-base64.json'), method: 'GET', raw_path: '/orders', body: '' };
      const streamed = await invokeStreaming(handler, event, lambdaContext());
      expect(streamed.prelude?.statusCode).to.equal(200);
      expect(streamed.body.toString()).to.equal('[]');
    });
  });
});

describe('a keep-warm ping (scheduled EventBridge event)', () => {
  const ping = {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/keep-warm'],
    detail: {},
  };

  describe('when no onNonHttpEvent is given', () => {
    it('resolves to nothing on the buffered handler, and still rejects other non-HTTP events', async () => {
      const handler = createApp({ controllers: [Orders] }).lambda();
      expect(await handler(ping, lambdaContext())).to.equal(undefined);
      let rejection: unknown;
      await handler({ Records: [] }, lambdaContext()).catch((error: unknown) => (rejection = error));
      expect(rejection).to.have.property('code', 'CREST_NOT_HTTP_EVENT');
    });

    it('ends the stream without error on the streaming handler', async () => {
      const handler = createApp({ controllers: [Orders] }).lambdaStreaming({ runtime: localStreamingRuntime });
      const streamed = await invokeStreaming(handler, ping, lambdaContext());
      expect(streamed.ended).to.equal(true);
      expect(streamed.error).to.equal(undefined);
    });
  });

  describe('when onNonHttpEvent is given', () => {
    it('hands it the ping', async () => {
      const handler = createApp({ controllers: [Orders] }).lambda({ onNonHttpEvent: () => 'warm' });
      expect(await handler(ping, lambdaContext())).to.equal('warm');
    });
  });
});
