import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { closeDb, dialect, getDb, migrate, queryCount, setupLinkIfNeeded } from "#app/utils/db.server.ts";
import { joinServers, leaveServers } from "#app/servers/presence.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { closeMail } from "#app/utils/mail.server.ts";
import { publishNow } from "#app/blog/publisher.server.ts";
import { retryMails, settleMails } from "#app/mail/outbox.server.ts";
import { startJobs, stopJobs } from "#app/jobs/primary.server.ts";
import { startInboundSmtp, stopInboundSmtp } from "#app/mail/inbound-smtp.server.ts";
import { finishCompleteUploads } from "#app/files/upload-finish.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { ensureReserve, guardDisk } from "#app/utils/disk.server.ts";
import { stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { NonceProvider } from "#app/utils/nonce.tsx";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * Called once per process by server/index.ts: checks the environment; the
 * primary process also migrates and issues the setup link (workers start
 * after it, on a database that is already up to date).
 */
export async function boot({ primary }: { primary: boolean } = { primary: true }) {
  const env = getEnv();
  // Writes are refused with 507 once the disk reserve is spent (app/utils/disk.server.ts).
  guardDisk();
  if (primary) {
    // A wrong bucket or key is said now, in one line, not at somebody's first upload.
    await getStorage().check();
    const applied = await migrate();
    if (applied.length > 0) console.log(`Database migrated: ${applied.join(", ")}`);
    // Several servers may share a PostgreSQL database (and one S3 bucket): this one says it lives, and refuses
    // to run beside one whose files it could not read (app/servers/presence.server.ts). One SQLite file is one server.
    if (dialect() === "postgres") await joinServers(getDb(), env.storage.driver);
    // Room kept for signing in once the disk fills (app/utils/disk.server.ts).
    if (!ensureReserve()) console.error("The disk holding DATA_DIR is (nearly) full: saves and uploads answer 507 until space is freed.");
    // Uploads whose last byte landed just before the process died become their files now, before any HEAD asks.
    await finishCompleteUploads(getDb(), getStorage()).catch((error: unknown) => console.error("Complete uploads not finished at start; their HEAD will.", error));
    // What fell due while the server was down goes out before the first request.
    await publishNow();
    // Then the periodic work (app/jobs/primary.server.ts): publishing, housekeeping, and mails
    // that could not go out (every kind: one outbox) tried again from here.
    startJobs();
    // Answers by mail, when the network receives them itself (else an MTA pipes them to `npm run mail:receive`).
    if (env.inboundSmtp && env.mailReplyTo) {
      const { port } = await startInboundSmtp({ ...env.inboundSmtp, replyTo: env.mailReplyTo });
      console.log(`Replies by mail: listening for SMTP on ${env.inboundSmtp.host}:${port}, for ${env.mailReplyTo}`);
    }
  }
  return {
    port: env.port,
    host: env.host,
    baseUrl: env.baseUrl,
    trustProxy: env.trustProxy,
    setupLink: primary ? await setupLinkIfNeeded() : null,
    workers: env.workers,
  };
}

// No content worker thread is started ahead: one loaded at start (Lexical,
// happy-dom, the sanitizer) held ~45 MB per process at rest. The first
// rich-text save, comment or Markdown import of a process starts it and
// waits for it to load (about a second).

/** For the wiki benchmark: SQL statements run so far by this process. */
export { queryCount };

/** For tests: one run of the outbox's retry sweep, as its timer does it. */
export { retryMails };

export async function shutdown() {
  await stopInboundSmtp();
  await stopJobs();
  // After the jobs: a run still going while the row was gone would look abandoned to the other servers.
  await leaveServers();
  await settleMails();
  closeMail();
  await stopContentWorkers();
  await closeDb();
}

/**
 * The page is rendered whole, then sent in one piece. Loaders have all run
 * before rendering starts (none defers data), so streaming would only send the
 * head a couple of milliseconds sooner, and it cost a web stream between React
 * and the socket and a write per 2 KB chunk (README, Benchmarks).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          // Also called after an abort, with what could not finish left to the browser.
          clearTimeout(deadline);
          const chunks: Uint8Array[] = [];
          const collect = new Writable({
            write(chunk: Uint8Array, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              const html = Buffer.concat(chunks);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              responseHeaders.set("Content-Length", String(html.byteLength));
              resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          pipe(collect);
        },
        onShellError(error: unknown) {
          clearTimeout(deadline);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell is ready reach Remix through onShellError.
          if (shellRendered) console.error(error);
        },
      },
    );
    deadline = setTimeout(abort, ABORT_DELAY);
  });
}
