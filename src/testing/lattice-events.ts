import { randomUUID } from 'node:crypto';
import type { LatticeEvent } from '../transports/lambda/types';
import { decodedQuery, lowerCaseHeaders, parseTestRequest, type TestRequest } from './request';

/**
 * A VPC Lattice event (v2), shaped like AWS Lambda Powertools' captured fixture with the
 * newer schema's list values: `method`, `path` without the query, header and query values as
 * string arrays, `requestContext.serviceArn` and the caller's `identity`.
 */
export function latticeEvent(request: TestRequest = {}): LatticeEvent {
  const req = parseTestRequest(request, randomUUID());
  const headers = lowerCaseHeaders(req.headers);
  headers.host ??= ['crest-0123456789abcdef.7d67968.vpc-lattice-svcs.us-east-1.on.aws'];
  headers['x-forwarded-for'] ??= [req.sourceIp];
  if (req.body !== undefined) headers['content-length'] = [String(req.body.length)];
  return {
    version: '2.0',
    path: req.path,
    method: req.method,
    headers,
    queryStringParameters: decodedQuery(req.rawQuery),
    body: req.body === undefined ? '' : req.body.toString(req.binary ? 'base64' : 'utf8'),
    isBase64Encoded: req.binary,
    requestContext: {
      serviceNetworkArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0bf3f2882e9cc805a',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0a40eebed65f8d69c',
      targetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-6d0ecf831eec9f09',
      identity: {
        type: 'AWS_IAM',
        principal: 'arn:aws:iam::123456789012:role/caller',
        sourceVpcArn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0b8276c84697e7339',
      },
      region: 'us-east-1',
      timeEpoch: String(Date.now() * 1000),
    },
  };
}
