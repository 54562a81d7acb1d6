import cluster, { type Worker } from "node:cluster";
import dns from "node:dns/promises";
import type { Server } from "node:http";
import net from "node:net";
import util from "node:util";
import type { Drain } from "./drain.ts";

/**
 * The primary and its workers: who holds the listening socket, and in which
 * order they let go of it.
 *
 * The primary binds the socket and hands a copy to each worker, which listens
 * and accepts on it itself: no connection passes through the primary (with
 * Node's round-robin, a connection handed to a worker as it died was never
 * answered; it hung for over 15 minutes). A listening socket lives as long as
 * one process holds a copy, and when the last copy closes the kernel resets
 * every connection still waiting in its queue. So the last copy to close must
 * be one whose process was accepting up to that instant:
 * - a worker asked to stop on its own (SIGTERM to its pid) closes its copy
 *   only while another worker accepts (the one replacing it, if need be): the
 *   connections waiting go to that one;
 * - on SIGTERM to the primary (or to every process at once, as systemd and a
 *   terminal's Ctrl-C do) the primary closes its own copy first, then the
 *   workers close theirs one after another, the last one only once every
 *   other copy is closed, right after accepting all that waited
 *   (server/drain.ts); connections after that are refused.
 * Node's cluster module can share a socket the same way (SCHED_NONE), but
 * its primary keeps a copy that it closes only after hearing that the last
 * worker closed its own, and whatever arrived in between was reset: 19 to 37
 * connections per SIGTERM at about 40 new connections a second.
 */

/** What the primary and a worker say to each other over the cluster's channel. */
type Said =
  /** worker: my server is set up, send the socket */
  | "ready"
  /** worker: I accept on it */
  | "listening"
  /** worker: I was asked to stop (a signal); tell me when I may close my copy */
  | "leaving"
  /** worker: my copy is closed; I finish what I accepted, then exit */
  | "closed"
  /** primary: here is the socket (sent with the message) */
  | "listen"
  /** primary: close your copy now */
  | "close";

interface Message {
  cercle: Said;
  /** With "close": no other copy of the socket is open (server/drain.ts closes the last one its own way). */
  last?: boolean;
}

const isMessage = (value: unknown): value is Message => typeof value === "object" && value !== null && typeof (value as Message).cercle === "string";

/** The listening socket as libuv holds it: what node:cluster's own primary passes to its workers. */
interface SocketHandle {
  close(): void;
  getsockname(out: { port?: number }): number;
}

interface NetInternals {
  _createServerHandle(address: string, port: number, addressType: number, fd: undefined, flags: number): SocketHandle | number;
}

/**
 * A socket bound to address:port that no event loop polls. net._createServerHandle
 * is what node:cluster's primary calls for the same purpose (Node 20 to 24);
 * there is no public way to bind a TCP socket without starting to accept on it.
 */
function bindSocket({ address, family }: { address: string; family: number }, port: number): SocketHandle {
  const handle = (net as unknown as NetInternals)._createServerHandle(address, port, family, undefined, 0);
  if (typeof handle === "number") throw new Error(`Cannot listen on ${address}:${port}: ${util.getSystemErrorName(handle)}.`);
  // libuv reports EADDRINUSE at listen(), not at bind(): the socket was left unbound (port 0).
  const bound: { port?: number } = {};
  if (port !== 0 && (handle.getsockname(bound) !== 0 || bound.port !== port)) {
    handle.close();
    throw new Error(`Cannot listen on ${address}:${port}: another process is listening there (EADDRINUSE).`);
  }
  return handle;
}

type State =
  /** forked, not yet accepting */
  | "starting"
  | "listening"
  /** accepting, and waiting for the word to close its copy */
  | "leaving"
  /** told to close its copy */
  | "closing"
  /** its copy is closed; it drains and exits */
  | "closed";

/** Whose copy of the socket is open (accepting, or about to stop). */
const holdsCopy = (state: State) => state === "listening" || state === "leaving" || state === "closing";

/**
 * The primary: binds the socket, forks the workers, replaces one that dies,
 * and on SIGTERM/SIGINT lets them close the socket in turn (above). A worker
 * that dies before the cluster is up means the configuration is wrong:
 * forking again would only loop, so the whole process stops with its error.
 */
export async function superviseWorkers(options: {
  count: number;
  host: string;
  port: number;
  /** Every worker accepts (once, at start). */
  onListening: () => void;
  /** Every worker has exited after a signal: close the database. */
  shutdown: () => Promise<void>;
}) {
  const { count, port } = options;
  const workers = new Map<Worker, State>();
  const fail = (error: Error) => {
    console.error(error.message);
    for (const worker of workers.keys()) worker.process.kill("SIGKILL");
    process.exit(1);
  };
  // Resolved once: binding again after every worker died must not wait for DNS.
  const address = await dns.lookup(options.host).catch((error: Error) => fail(new Error(`Cannot listen on ${options.host}: ${error.message}`)));
  const bind = () => {
    try {
      return bindSocket(address, port);
    } catch (error) {
      return fail(error as Error);
    }
  };
  let socket: SocketHandle | null = bind();
  let ready = false;
  let stopping = false;

  const tell = (worker: Worker, message: Message, handle?: SocketHandle) => {
    // A raw handle crosses the channel as node:cluster's own do ("net.Native"); the types only know sockets and servers.
    if (worker.isConnected()) worker.send(message, handle as unknown as net.Server | undefined);
  };

  const fork = () => {
    const worker = cluster.fork();
    workers.set(worker, "starting");
    worker.on("message", (message: unknown) => heard(worker, message));
  };

  /** Who may close their copy now. */
  const settle = () => {
    const open = [...workers].filter(([, state]) => holdsCopy(state));
    if (!stopping) {
      // A worker leaving on its own closes while another accepts; until then it keeps accepting.
      if (!open.some(([, state]) => state === "listening")) return;
      for (const [worker, state] of open) {
        if (state !== "leaving") continue;
        workers.set(worker, "closing");
        tell(worker, { cercle: "close" });
      }
      return;
    }
    // Stopping: all but one close at once; the last when it is the only copy left.
    const notAsked = open.filter(([, state]) => state !== "closing").map(([worker]) => worker);
    for (const worker of open.length === 1 ? notAsked : notAsked.slice(1)) {
      workers.set(worker, "closing");
      tell(worker, { cercle: "close", last: open.length === 1 });
    }
  };

  const heard = (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    const state = workers.get(worker);
    if (state === undefined) return;
    switch (message.cercle) {
      case "ready":
        if (stopping || !socket) tell(worker, { cercle: "close" });
        else tell(worker, { cercle: "listen" }, socket);
        break;
      case "listening":
        if (state !== "starting") break;
        workers.set(worker, "listening");
        if (!ready && [...workers.values()].filter((s) => s === "listening").length === count) {
          ready = true;
          options.onListening();
        } else if (ready) {
          // Said, because until now the site ran one worker short (or not at all).
          console.log(`Worker ${worker.process.pid} is serving in place of the one that stopped.`);
        }
        break;
      case "leaving":
        if (state === "listening") workers.set(worker, "leaving");
        // Not accepting yet: nothing to hand over.
        else if (state === "starting") {
          workers.set(worker, "closing");
          tell(worker, { cercle: "close" });
        }
        break;
      case "closed":
        workers.set(worker, "closed");
        break;
    }
    settle();
  };

  const finish = async () => {
    await options.shutdown();
    process.exit(0);
  };

  cluster.on("exit", (worker, code, signal) => {
    workers.delete(worker);
    if (stopping) {
      settle();
      if (workers.size === 0) void finish();
      return;
    }
    if (!ready) {
      console.error(`A worker stopped while starting (${signal ?? `exit code ${code}`}); stopping Cercle.`);
      for (const other of workers.keys()) other.process.kill("SIGKILL");
      process.exit(1);
    }
    console.error(`Worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another.`);
    if (![...workers.values()].some(holdsCopy)) {
      // Nobody accepts any more (kill -9 of every worker): with only the primary's
      // copy open, connections would wait in the queue until a replacement starts
      // (seconds, tens on a loaded machine). A fresh socket, bound but not
      // listening, refuses them instead until then: the client knows at once.
      socket?.close();
      socket = bind();
    }
    fork();
    settle();
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests in flight, then closing the database.`);
    // The primary never accepts: its copy goes first, so that the last copy is a worker's.
    socket?.close();
    socket = null;
    // One still starting has accepted nothing; if it has no handler yet, the signal simply ends it.
    for (const [worker, state] of workers) if (state === "starting") worker.process.kill("SIGTERM");
    settle();
    if (workers.size === 0) void finish();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  for (let i = 0; i < count; i++) fork();
}

/**
 * A worker's side: asks the primary for the socket, accepts on it, and on a
 * signal keeps accepting until the primary says it may close its copy (see
 * above). drain.done resolves once that copy is closed and every connection
 * it accepted has ended.
 */
export function serveAsWorker(server: Server, drain: Drain) {
  let leaving = false;
  let closing = false;
  const tell = (what: Said) => {
    if (process.connected) process.send!({ cercle: what } satisfies Message);
  };

  server.once("error", (error: NodeJS.ErrnoException) => {
    console.error(`Worker ${process.pid} cannot listen: ${error.code ?? error.message}`);
    process.exit(1);
  });
  process.on("message", (message: unknown, handle: unknown) => {
    if (!isMessage(message)) return;
    if (message.cercle === "listen") {
      // Asked to stop before it had the socket: accept nothing, let the copy go.
      if (leaving || closing) return void (handle as SocketHandle).close();
      server.listen(handle, () => tell("listening"));
    } else if (message.cercle === "close" && !closing) {
      closing = true;
      void drain.closeListener({ last: message.last === true }).then(() => tell("closed"));
    }
  });

  const leave = () => {
    if (leaving) return;
    leaving = true;
    drain.begin();
    tell("leaving");
  };
  process.on("SIGTERM", leave);
  process.on("SIGINT", leave);
  tell("ready");
}
