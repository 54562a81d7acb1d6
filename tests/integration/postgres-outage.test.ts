import net from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openTestDb } from "#tests/helpers/db.ts";
import { freshPostgres } from "#tests/helpers/postgres.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

/**
 * "What happens when the database fails" (issue 21, README "Beyond one
 * machine"): the server reaches PostgreSQL through a TCP relay the test can
 * cut, as a database restart or a network failure would. While it is cut
 * /healthz answers 503 (a load balancer takes the server out) and a page
 * that reads the database is an error page, not a hang; once it is back the
 * server answers again without a restart, its pool having made new
 * connections.
 */

class Relay {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | null = null;
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open() {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  /** Every connection dropped and nothing listening: the database is gone. */
  async cut() {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }
}

let server: TestServer;
let relay: Relay;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshPostgres();
  drop = fresh.drop;
  const url = new URL(fresh.url);
  relay = new Relay({ host: url.hostname, port: Number(url.port || 5432) });
  await relay.open();
  url.port = String(relay.port);
  server = await startServer({ env: { DATABASE_URL: url.toString() } });
});

afterAll(async () => {
  await server?.close();
  await drop?.();
});

async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("the database goes away: 503 from /healthz, pages fail cleanly; it comes back: the same server answers again", async () => {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const setup = server.setupLink!;
  expect(setup).toContain("/setup?token=");

  await relay.cut();
  const down = await fetch(`${server.url}/healthz`);
  expect(down.status).toBe(503);
  expect(await down.text()).toBe("database unavailable");
  // The setup page reads the database: an error page, not a hang and not a crash.
  expect((await fetch(setup)).status).toBe(500);

  await relay.open();
  await eventually(async () => (await fetch(`${server.url}/healthz`)).status === 200, "/healthz to answer 200 again");
  expect((await fetch(setup)).status).toBe(200);
  // Nothing was written meanwhile: still no network, still no account.
  const db = openTestDb(server.dbFile);
  try {
    expect(await db.db.selectFrom("user").select("id").execute()).toEqual([]);
  } finally {
    await db.close();
  }
});
