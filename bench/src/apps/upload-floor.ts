import { createServer, type Server } from 'node:http';
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { UPLOAD_FIELD, UPLOAD_PATH, UPLOAD_SIZE_LIMIT, type UploadAnswer } from './upload-workload';

/**
 * The floor under crest's upload route: node:http streaming the body into @fastify/busboy (the
 * parser crest uses), the file's chunks concatenated, the answer written by hand. No routing, no
 * limits beyond the file size, no checks: what parsing 1 MB costs by itself.
 */
export function createFloorUploadServer(): Server {
  return createServer((request, response) => {
    const answer = (status: number, body: UploadAnswer | { error: string }) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== UPLOAD_PATH) return answer(404, { error: 'not found' });
    let parser: BusboyInstance;
    try {
      parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { fileSize: UPLOAD_SIZE_LIMIT } });
    } catch {
      return answer(400, { error: 'not multipart' });
    }
    let found: UploadAnswer | undefined;
    parser.on('file', (field, stream, fileName) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (field === UPLOAD_FIELD) found = { name: fileName, size: Buffer.concat(chunks).length };
      });
    });
    parser.on('error', () => answer(400, { error: 'malformed' }));
    parser.on('finish', () => (found === undefined ? answer(400, { error: 'no file' }) : answer(200, found)));
    request.pipe(parser);
  });
}
