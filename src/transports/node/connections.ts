import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The server's open connections, and which of them have a request in flight. */
export interface OpenConnections {
  /** Records the response now being served on the request's connection. */
  serving(request: IncomingMessage, response: ServerResponse): void;
  /**
   * Closes every connection without a request in flight now (idle, silent since it opened, or
   * part way through a request head), and the others once their answer has been sent.
   */
  closeUnserved(): void;
}

/**
 * Tracks a server's connections for close(). node's own `server.close()` (20.x) closes only
 * keep-alive connections between requests: one that sent nothing, or half a request head,
 * stays open, and close() also stops the header timeout that would have ended it, so such a
 * client could hold a shutdown for the whole grace period (or forever).
 */
export function trackConnections(server: Server): OpenConnections {
  const sockets = new Set<Socket>();
  // The latest response of each connection: node answers a connection's requests in order, so
  // when the latest has finished, they all have.
  const latest = new WeakMap<Socket, ServerResponse>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    serving(request, response) {
      latest.set(request.socket, response);
    },
    closeUnserved() {
      for (const socket of sockets) {
        const response = latest.get(socket);
        if (response === undefined || response.writableFinished) {
          socket.destroy();
          continue;
        }
        // An answer whose head went out before close() said keep-alive: end the connection
        // after it, unless a later request on it is now in flight (that one says close).
        response.once('finish', () => {
          if (latest.get(socket) === response) socket.destroySoon();
        });
      }
    },
  };
}
