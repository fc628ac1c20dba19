import type { IncomingMessage } from 'node:http';
import { bodyTooLarge, type HttpError } from '../../errors';
import type { MultipartForm, MultipartParser, MultipartPlan } from '../../http/multipart';
import { maxBodyPieces, tooManyPieces } from './body-pieces';

/**
 * Streams a multipart body from the socket into the parser: each chunk is parsed as it arrives
 * and none is kept beyond what the form holds, so a file past its limit, the parts limit or the
 * total is refused at the chunk that breaks it. `done(error)` then comes at once, with the socket
 * paused, and the answer closes the connection. A request that fails (the client went away) never
 * calls `done`: there is nobody to answer.
 */
export function readMultipartBody(
  request: IncomingMessage,
  plan: MultipartPlan,
  done: (error: HttpError | undefined, form?: MultipartForm) => void,
): void {
  const length = request.headers['content-length'];
  if (length !== undefined && Number(length) > plan.limits.totalSize) {
    // An honest Content-Length over the multipart total: answer without reading a byte of it.
    request.pause();
    return done(bodyTooLarge(plan.limits.totalSize));
  }
  let reader: MultipartParser;
  try {
    reader = new plan.parser(request.headers['content-type']!, plan);
  } catch (error) {
    request.pause();
    return done(error as HttpError);
  }
  const maxPieces = maxBodyPieces(plan.limits.totalSize);
  let pieces = 0;
  let finished = false;
  const finish = (error: HttpError | undefined, form?: MultipartForm): void => {
    if (finished) return;
    finished = true;
    if (error !== undefined) {
      request.pause();
      request.removeListener('data', onData);
    }
    done(error, form);
  };
  // A refusal found after a chunk was written (a file's bytes arrive on the next tick) answers
  // without waiting for the client to send more.
  reader.onRefuse = (error) => finish(error);
  const onData = (chunk: Buffer): void => {
    if (++pieces > maxPieces) finish(tooManyPieces(maxPieces));
    else reader.write(chunk);
  };
  request.on('data', onData);
  request.on('end', () => {
    if (finished) return;
    reader.end().then(
      (form) => finish(undefined, form),
      (error: HttpError) => finish(error),
    );
  });
  request.on('error', () => {
    // The client went away or sent a malformed body; there is nobody to answer.
    finished = true;
  });
}
