import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { UPLOAD_FIELD, UPLOAD_PATH, UPLOAD_SIZE_LIMIT, type UploadAnswer } from './upload-workload';

/** fastify with @fastify/multipart: `req.file()` then `toBuffer()`, the file kept in memory as crest keeps it. */
export async function createFastifyUploadApp(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyMultipart, { limits: { fileSize: UPLOAD_SIZE_LIMIT, files: 1 } });
  app.post(UPLOAD_PATH, async (request, reply): Promise<UploadAnswer | undefined> => {
    const file = await request.file();
    if (file === undefined || file.fieldname !== UPLOAD_FIELD) {
      await reply.code(400).send({ error: 'no file' });
      return undefined;
    }
    const bytes = await file.toBuffer();
    return { name: file.filename, size: bytes.length };
  });
  await app.ready();
  return app;
}
