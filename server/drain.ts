import type { IncomingMessage, Server, ServerResponse } from "node:http";
import net, { type Socket } from "node:net";

/** How one HTTP server stops without resetting a connection it has accepted or could have. */
export interface Drain {
  /**
   * From now on every answer ends its connection, keep-alive connections
   * that still wait for nothing KEEP_ALIVE_GRACE_MS later end then, and what
   * is still open `hardLimitMs` later is closed. The listening socket stays
   * open (see closeListener).
   */
  begin(): void;
  /**
   * Stops accepting (calls begin() first). `last`: no other process holds a
   * copy of the listening socket, so closing it would reset the connections
   * waiting in it; it is then closed as closeLastCopy says. Resolves once
   * this process's copy is closed.
   */
  closeListener(options: { last: boolean }): Promise<void>;
  /** Resolves once the listening socket is closed and every connection has ended. */
  readonly done: Promise<void>;
}

/**
 * How long an idle keep-alive connection may still send a request once
 * stopping has begun. Ending it at once (as this did) cut clients that send
 * requests back to back: their next request was already in the socket's
 * buffer, not yet read, when the FIN left, and they got no answer (one per
 * client and SIGTERM, tests/integration/shutdown.test.ts). Within this time
 * their request is answered with Connection: close.
 */
const KEEP_ALIVE_GRACE_MS = 1_000;

/** Node's TCP handle, for the two calls that net.Server and net.Socket do not expose. */
interface TcpHandle {
  listen(backlog: number): number;
  getpeername(out: object): number;
}

const tcpHandle = (of: Server | Socket) => (of as unknown as { _handle?: Partial<TcpHandle> | null })._handle;

/**
 * Closes the last copy of a listening socket without resetting a client.
 *
 * When the last copy of a listening socket closes, the kernel resets every
 * connection still waiting in its queue: those clients had connected and
 * sent their request, and get ECONNRESET. And the queue is seldom empty: Node
 * (libuv 1.45 and later) accepts one connection per wake-up of the event
 * loop, so a process rendering pages leaves tens waiting (19 to 37 were reset
 * per SIGTERM at 40 new connections a second, tests/integration/shutdown.test.ts).
 * Closing just after an accept still leaves what arrives in between. So:
 * 1. the queue is cut to one place (listen(fd, 0) again): while a connection
 *    waits there, the kernel drops new SYNs, and those clients try again a
 *    second later, and are then refused (they know nothing was sent); those
 *    already waiting are accepted one by one as usual;
 * 2. this process connects to its own socket, right after each connection it
 *    accepts and every few milliseconds. On loopback the handshake is done
 *    within connect(), so when it is connected on return, the connection
 *    waiting in the one place is its own (if not, a client waits there, or
 *    several from before the cut, and the event loop accepts them);
 * 3. then the socket is closed there and then, before the event loop can
 *    accept anything: the kernel resets only that connection of ours.
 * It closes plainly after `giveUpMs` (a process that cannot catch up with
 * its queue), or at once where the handles do not allow this (on other
 * systems than Linux this may only lose its benefit).
 */
function closeLastCopy(server: Server, close: () => void, giveUpMs: number) {
  const listening = tcpHandle(server);
  const address = server.address();
  if (typeof listening?.listen !== "function" || !address || typeof address === "string" || listening.listen(0) !== 0) return close();
  const host = address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "::1" : address.address;
  const started = performance.now();
  let closed = false;
  const attempt = () => {
    if (closed) return;
    const own = net.connect({ port: address.port, host });
    // Reset by the close, as intended.
    own.on("error", () => {});
    // net.connect to an address connects in a nextTick queued before this one.
    process.nextTick(() => {
      const handle = tcpHandle(own);
      const waiting = typeof handle?.getpeername === "function" && handle.getpeername({}) === 0;
      if (!closed && (waiting || performance.now() - started > giveUpMs)) {
        closed = true;
        server.off("connection", attempt);
        clearInterval(retry);
        close();
      }
      own.destroy();
    });
  };
  server.on("connection", attempt);
  const retry = setInterval(attempt, 5);
  attempt();
}

/**
 * How one HTTP server stops without resetting a connection it has accepted.
 *
 * Node's own http.Server.close() also closes every "idle" connection, and a
 * connection accepted a moment ago whose request has not arrived yet counts as
 * idle: clients that connected in the last instant before a SIGTERM were
 * reset. Here:
 * - every answer after begin() says Connection: close, so each connection
 *   ends after its request, fresh ones included;
 * - keep-alive connections that have had their answers and wait for nothing
 *   are ended (a FIN, not a reset) if they still wait for nothing
 *   KEEP_ALIVE_GRACE_MS later, and any that finishes its answer later at once;
 * - the listening socket closes when closeListener() is called (a cluster
 *   worker waits for the primary's word, server/cluster.ts); connections
 *   after that are refused (the client knows nothing was sent and may try
 *   again);
 * - what is still open `hardLimitMs` after begin() is closed anyway.
 */
export function drainOnStop(server: Server, hardLimitMs = 10_000): Drain {
  const sockets = new Set<Socket>();
  /** Requests being answered, per connection. */
  const busy = new Map<Socket, number>();
  /** Connections that have had at least one answer. */
  const answered = new WeakSet<Socket>();
  const pending = new Set<ServerResponse>();
  let stopping = false;
  let closing: Promise<void> | null = null;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));

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

  /** net.Server's close, not http.Server's: stop accepting, leave accepted connections be. */
  const closeNow = () => {
    // Never listened (a worker stopped before it had the socket): nothing was accepted.
    if (!server.listening) return finish();
    net.Server.prototype.close.call(server, () => finish());
  };

  const begin = () => {
    if (stopping) return;
    stopping = true;
    for (const res of pending) if (!res.headersSent) res.shouldKeepAlive = false;
    const idleEnd = setTimeout(() => {
      for (const socket of sockets) if (answered.has(socket) && !busy.has(socket)) socket.end();
    }, KEEP_ALIVE_GRACE_MS);
    idleEnd.unref();
    const limit = setTimeout(() => {
      console.error(`Connections still open ${hardLimitMs / 1000} s after the signal; closing them.`);
      if (server.listening) closeNow();
      server.closeAllConnections();
    }, hardLimitMs);
    limit.unref();
    void done.then(() => clearTimeout(limit));
  };

  return {
    begin,
    closeListener({ last }) {
      begin();
      closing ??= new Promise<void>((resolve) => {
        const close = () => {
          // The hard limit may have closed it already.
          if (server.listening) closeNow();
          resolve();
        };
        if (last && server.listening) closeLastCopy(server, close, hardLimitMs / 2);
        else close();
      });
      return closing;
    },
    done,
  };
}
