import { randomBytes } from 'node:crypto';

/** The upload route every peer serves: POST /upload, one file in the form field `file`. */
export const UPLOAD_PATH = '/upload';
export const UPLOAD_FIELD = 'file';
export const UPLOAD_FILE_NAME = 'photo.jpg';
/** 1 MB (SI): under fastify's default 1 MiB body limit, which @fastify/multipart's file limit follows. */
export const UPLOAD_FILE_SIZE = 1_000_000;
/** The same explicit file-size limit in every peer (multer has none by default). */
export const UPLOAD_SIZE_LIMIT = 2_000_000;

/** What the route answers: the file's name and its size as received. */
export interface UploadAnswer {
  name: string;
  size: number;
}

export interface MultipartRequest {
  contentType: string;
  body: Buffer;
}

/** A multipart/form-data body (RFC 7578) holding one file of random bytes, as a browser sends it. */
export function uploadRequest(): MultipartRequest {
  const boundary = `----crestbench${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${UPLOAD_FIELD}"; filename="${UPLOAD_FILE_NAME}"\r\n` +
    'Content-Type: image/jpeg\r\n\r\n';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), randomBytes(UPLOAD_FILE_SIZE), Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
