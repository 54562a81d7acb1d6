import type { IncomingMessage, Server, ServerResponse } from "node:http";
import net, { type Socket } from "node:net";

/**
 * How one HTTP server stops without resetting a connection it has accepted.
 *
 * Node's own http.Server.close() also closes every "idle" connection, and a
 * connection accepted a moment ago whose request has not arrived yet counts as
 * idle: clients that connected in the last instant before a SIGTERM were
 * reset. Here, on stop():
 * - the listening socket closes (the kernel refuses new connections: the
 *   client knows nothing was sent and may try again);
 * - every answer from then on says Connection: close, so each connection
 *   ends after its request, fresh ones included;
 * - keep-alive connections that have had their answers and wait for nothing
 *   are ended at once (a FIN, not a reset), and any that finishes its answer
 *   later too;
 * - what is still open after `hardLimitMs` is closed anyway.
 */
export function drainOnStop(server: Server, hardLimitMs = 10_000) {
  const sockets = new Set<Socket>();
  /** Requests being answered, per connection. */
  const busy = new Map<Socket, number>();
  /** Connections that have had at least one answer. */
  const answered = new WeakSet<Socket>();
  const pending = new Set<ServerResponse>();
  let stopping = false;

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    pending.add(res);
    if (stopping) res.shouldKeepAlive = false;
    res.once("close", () => {
      pending.delete(res);
      answered.add(socket);
      const left = (busy.get(socket) ?? 1) - 1;
      if (left > 0) return void busy.set(socket, left);
      busy.delete(socket);
      if (stopping && !socket.destroyed) socket.end();
    });
  });

  return function stop(): Promise<void> {
    stopping = true;
    for (const res of pending) if (!res.headersSent) res.shouldKeepAlive = false;
    for (const socket of sockets) if (answered.has(socket) && !busy.has(socket)) socket.end();
    const limit = setTimeout(() => {
      console.error(`Connections still open ${hardLimitMs / 1000} s after the signal; closing them.`);
      server.closeAllConnections();
    }, hardLimitMs);
    limit.unref();
    // net.Server's close, not http.Server's: stop accepting, leave accepted connections be.
    return new Promise((resolve) =>
      net.Server.prototype.close.call(server, () => {
        clearTimeout(limit);
        resolve();
      }),
    );
  };
}
