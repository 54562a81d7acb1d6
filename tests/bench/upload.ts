/**
 * npm run bench:upload — one big file (BENCH_UPLOAD_MB, default 2048 MiB)
 * through the app's real upload path, the tus endpoint of a space, over HTTP
 * against the built server (`node build/server.js`, WEB_CONCURRENCY=1 so the
 * process we watch is the one that serves), once with the local driver and
 * once with S3 (s3rver on 127.0.0.1, in this process). For each it measures:
 *  - throughput: file MiB / seconds from the creation POST to the answer of
 *    the last PATCH (which includes the app's onUploadFinish: sniffing the
 *    type, recording the file, and on S3 completing the multipart upload);
 *  - the server's peak RSS growth: the server's VmHWM (peak RSS) after
 *    resetting it through /proc/<pid>/clear_refs just before the upload, and
 *    VmRSS sampled every 50 ms as a fallback, minus VmRSS just before the upload
 *    (taken after a warm-up upload, so lazy modules and connection pools are
 *    already there).
 * Each upload is then checked: the file recorded at its size with the source's
 * SHA-256, the same size in storage, no reservation left, and listed on the
 * space's files page. It also times a raw streamed copy of the same file on
 * the same disk, the yardstick for the local driver. Temporary folders, the
 * server and s3rver go away even on failure. The last line printed is one
 * JSON object.
 * Sizes are in MiB (1,048,576 bytes) throughout; "mb" in the JSON means MiB.
 *
 * BENCH_UPLOAD_CHUNK_MB is the size of each PATCH; by default the one the
 * app's pages give tus-js-client (UPLOAD_CHUNK_BYTES, 32 MiB), so the bench
 * measures what a browser does. BENCH_UPLOAD_CHUNK_MB=0 sends one PATCH.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import { openDatabase } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
import { UPLOAD_CHUNK_BYTES } from "#app/files/upload-options.ts";
import { signIn as signInAs, startBuiltServer } from "./built-server.ts";

const MiB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 2048);
const CHUNK_MB = Number(process.env.BENCH_UPLOAD_CHUNK_MB ?? UPLOAD_CHUNK_BYTES / MiB);
const SIZE = Math.round(SIZE_MB * MiB);
const CHUNK = CHUNK_MB > 0 ? Math.round(CHUNK_MB * MiB) : SIZE;
/** Enough to load every lazy module and, on S3, to go through multipart parts (8 MiB each). */
const WARM_UP_SIZE = Math.min(32 * MiB, SIZE);
const PASSWORD = "benchmark passphrase 2026";
const SAMPLE_MS = 50;

/** Everything to undo, even when a step throws or the bench is interrupted. */
const cleanup = {
  dirs: new Set<string>(),
  children: new Set<ChildProcess>(),
  s3: null as TestS3Server | null,
};

function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup.dirs.add(dir);
  return dir;
}

function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  cleanup.dirs.delete(dir);
}

async function cleanUpAll() {
  for (const child of cleanup.children) if (child.exitCode === null) child.kill("SIGKILL");
  cleanup.children.clear();
  await cleanup.s3?.close().catch(() => {});
  cleanup.s3 = null;
  for (const dir of cleanup.dirs) rmSync(dir, { recursive: true, force: true });
  cleanup.dirs.clear();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`${signal}: cleaning up`);
    void cleanUpAll().finally(() => process.exit(130));
  });
}

/** Flushes every dirty page to disk, so each timed step starts from the same state. */
function sync() {
  execFileSync("sync");
}

const mb = (bytes: number) => bytes / MiB;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The test file, written in 4 MiB blocks of random bytes (never held whole
 * in memory), behind a prefix no type sniffer takes for a known format.
 * Returns its SHA-256, to check what the server recorded.
 */
async function generateFile(file: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const block = Buffer.alloc(4 * MiB);
  const handle = await open(file, "wx");
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(block.length, size - written);
      randomFillSync(block, 0, n);
      if (written === 0) Buffer.from("CERCLE\u0000BIN\u0000").copy(block);
      const part = block.subarray(0, n);
      hash.update(part);
      await handle.write(part);
      written += n;
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/**
 * The yardstick: a streamed read → write of the same file on the same disk,
 * with Node's default stream buffers, as the server's path ends (the request
 * stream into @tus/file-store's fs.createWriteStream). Neither side fsyncs:
 * @tus/file-store writes with a plain fs.createWriteStream and never calls
 * fsync, and this copy does not either; both leave the bytes in the page
 * cache for the kernel to write back. `sync` runs before each timed step so
 * neither starts with the other's dirty pages to flush.
 */
async function diskCopy(source: string, dir: string): Promise<number> {
  const target = path.join(dir, "copy.bin");
  sync();
  const t0 = performance.now();
  await pipeline(createReadStream(source), createWriteStream(target));
  const seconds = (performance.now() - t0) / 1000;
  if (statSync(target).size !== SIZE) throw new Error("the disk copy is not the size of the source");
  rmSync(target);
  return mb(SIZE) / seconds;
}

/** A network, one member and a space whose quota and the size limit leave room for every upload of the run. */
async function seed(dataDir: string) {
  const { sqlite, db, close } = openDatabase(path.join(dataDir, "cercle.db"));
  await migrateToLatest(db);
  const { hash } = await import("@node-rs/argon2");
  const now = Date.now();
  const userId = newId();
  const spaceId = newId();
  sqlite
    .prepare("INSERT INTO network (id, name, default_locale, created_at) VALUES ('network', 'Bench', 'fr', ?)")
    .run(now);
  sqlite
    .prepare(
      "INSERT INTO user (id, email, display_name, password_hash, is_network_admin, created_at, updated_at) VALUES (?, 'bench@example.org', 'Bench Uploader', ?, 0, ?, ?)",
    )
    .run(userId, await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }), now, now);
  sqlite
    .prepare(
      "INSERT INTO space (id, slug, name, kind, description, visibility, join_policy, storage_quota_bytes, created_at) VALUES (?, 'bench', 'Bench club', 'trade_club', '', 'secret', 'coopt_direct', ?, ?)",
    )
    .run(spaceId, 2 * (SIZE + WARM_UP_SIZE) + 1024 * MiB, now);
  sqlite.prepare("INSERT INTO space_member (space_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)").run(spaceId, userId, now);
  await close();
}

interface RunningServer {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(dataDir: string, storageEnv: Record<string, string>): Promise<RunningServer> {
  const server = await startBuiltServer(dataDir, {
    // One process: server/index.ts serves in the primary itself when there is one worker, so its pid is the one to watch.
    WEB_CONCURRENCY: "1",
    MAX_FILE_MB: String(Math.ceil(SIZE_MB) + 1024),
    ...storageEnv,
  });
  cleanup.children.add(server.child);
  return {
    origin: server.origin,
    pid: server.child.pid!,
    async stop() {
      await server.stop();
      cleanup.children.delete(server.child);
    },
  };
}

function signIn(origin: string): Promise<string> {
  return signInAs(origin, PASSWORD);
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One HTTP request over node:http, its body (if any) a byte range of `file`
 * streamed from disk with fs.createReadStream: the client holds a few 64 KiB
 * buffers at a time, whatever the size.
 */
function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: { file: string; start: number; length: number },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (!body || body.length === 0) {
      req.end();
      return;
    }
    // A refusal may come before the body is all sent; the answer then settles the promise.
    pipeline(createReadStream(body.file, { start: body.start, end: body.start + body.length - 1 }), req).catch(reject);
  });
}

class TusClient {
  constructor(
    private readonly origin: string,
    private readonly cookie: string,
  ) {}

  private headers(extra: Record<string, string>) {
    return { "Tus-Resumable": "1.0.0", Cookie: this.cookie, Origin: this.origin, "Sec-Fetch-Site": "same-origin", ...extra };
  }

  /** POST, then PATCHes of `chunk` bytes each; throws unless the last one answers 204 with the new file's id. */
  async upload(file: string, size: number, name: string, chunk: number): Promise<{ fileId: string; patches: number }> {
    const created = await request(
      new URL("/spaces/bench/files/uploads", this.origin),
      "POST",
      this.headers({ "Upload-Length": String(size), "Upload-Metadata": `filename ${Buffer.from(name).toString("base64")}` }),
    );
    const location = created.headers.location;
    if (created.status !== 201 || typeof location !== "string") throw new Error(`tus POST answered ${created.status}: ${created.text}`);
    let offset = 0;
    let patches = 0;
    let last: Answer | undefined;
    while (offset < size) {
      const length = Math.min(chunk, size - offset);
      last = await request(
        new URL(location, this.origin),
        "PATCH",
        this.headers({ "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset), "Content-Length": String(length) }),
        { file, start: offset, length },
      );
      patches += 1;
      if (last.status !== 204) throw new Error(`tus PATCH at ${offset} answered ${last.status}: ${last.text}`);
      const next = Number(last.headers["upload-offset"]);
      if (!(next > offset && next <= offset + length)) throw new Error(`tus PATCH at ${offset} of ${length} bytes answered Upload-Offset ${next}`);
      // The server kept fewer bytes than it was sent yet answered 204: tus-js-client carries on from the offset it is given, and so does this.
      if (next !== offset + length) console.warn(`  tus PATCH at ${offset} of ${length} bytes: the server kept only ${next - offset}; going on from ${next}`);
      offset = next;
    }
    const fileId = last?.headers["upload-file-id"];
    if (typeof fileId !== "string") throw new Error(`the last PATCH carried no Upload-File-Id: ${JSON.stringify(last?.headers)}`);
    return { fileId, patches };
  }
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/**
 * Peak RSS of `pid` from now on: VmHWM reset through clear_refs (Linux ≥ 4.0,
 * same user) is exact; VmRSS sampled every 50 ms backs it up where the reset
 * is refused, and gives the client's own peak for the log.
 */
function watchMemory(pid: number) {
  let hwmReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    hwmReset = false;
  }
  let serverPeakKb = statusKb(pid, "VmRSS");
  let clientPeak = process.memoryUsage().rss;
  let samples = 0;
  const tick = () => {
    try {
      serverPeakKb = Math.max(serverPeakKb, statusKb(pid, "VmRSS"));
      clientPeak = Math.max(clientPeak, process.memoryUsage().rss);
      samples += 1;
    } catch {
      // The server is gone; the upload will say why.
    }
  };
  const timer = setInterval(tick, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      tick();
      const hwmKb = hwmReset ? statusKb(pid, "VmHWM") : 0;
      return { peakMb: Math.max(serverPeakKb, hwmKb) / 1024, sampledPeakMb: serverPeakKb / 1024, hwmMb: hwmReset ? hwmKb / 1024 : null, samples, clientPeakMb: mb(clientPeak) };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunResult {
  mbPerS: number;
  seconds: number;
  patches: number;
  /** Right after start and sign-in, before any upload. */
  freshMb: number;
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  hwmMb: number | null;
  sampledPeakMb: number;
  samples: number;
  clientGrowthMb: number;
}

/** One driver: fresh data folder and server, warm-up upload, the measured upload, then checks of what the app recorded. */
async function run(label: string, source: string, sha256: string, storageEnv: Record<string, string>, storedSize: (key: string, dataDir: string) => Promise<number>): Promise<RunResult> {
  const dataDir = tempDir(`cercle-bench-upload-${label}-`);
  await seed(dataDir);
  const server = await startServer(dataDir, storageEnv);
  try {
    const tus = new TusClient(server.origin, await signIn(server.origin));
    const freshMb = statusKb(server.pid, "VmRSS") / 1024;
    // Warm-up: loads the upload route, @tus/server, the store, file-type, the S3 client and its sockets.
    await tus.upload(source, WARM_UP_SIZE, "warm-up.bin", WARM_UP_SIZE);
    await sleep(1000);
    sync();
    await sleep(500);
    const baselineMb = statusKb(server.pid, "VmRSS") / 1024;
    const clientBaseline = mb(process.memoryUsage().rss);
    const memory = watchMemory(server.pid);
    const t0 = performance.now();
    let uploaded: { fileId: string; patches: number };
    try {
      uploaded = await tus.upload(source, SIZE, "bench.bin", CHUNK);
    } catch (error) {
      memory.stop();
      throw error;
    }
    const seconds = (performance.now() - t0) / 1000;
    const watched = memory.stop();
    const { fileId, patches } = uploaded;

    // What the app recorded: the file, its size, its checksum, and the bytes in storage.
    const sqlite = new Database(path.join(dataDir, "cercle.db"), { readonly: true });
    const row = sqlite
      .prepare(
        "SELECT f.name, f.size, v.size AS version_size, v.sha256, v.storage_key FROM file f JOIN file_version v ON v.file_id = f.id AND v.number = f.version WHERE f.id = ?",
      )
      .get(fileId) as { name: string; size: number; version_size: number; sha256: string; storage_key: string } | undefined;
    const leftover = (sqlite.prepare("SELECT count(*) AS n FROM upload").get() as { n: number }).n;
    sqlite.close();
    if (!row) throw new Error(`${label}: no file ${fileId} in the database`);
    if (row.size !== SIZE || row.version_size !== SIZE) throw new Error(`${label}: the file was recorded with ${row.size} bytes, not ${SIZE}`);
    if (row.sha256 !== sha256) throw new Error(`${label}: the recorded SHA-256 is not the file's`);
    if (leftover !== 0) throw new Error(`${label}: ${leftover} upload reservations left behind`);
    const stored = await storedSize(row.storage_key, dataDir);
    if (stored !== SIZE) throw new Error(`${label}: storage holds ${stored} bytes under ${row.storage_key}, not ${SIZE}`);
    const listing = await fetch(`${server.origin}/spaces/bench/files`, { headers: { Cookie: await signIn(server.origin) } });
    if (listing.status !== 200 || !(await listing.text()).includes(row.name)) throw new Error(`${label}: ${row.name} is not in the space's file listing`);

    const result: RunResult = {
      mbPerS: mb(SIZE) / seconds,
      seconds,
      patches,
      freshMb,
      baselineMb,
      peakMb: watched.peakMb,
      growthMb: watched.peakMb - baselineMb,
      hwmMb: watched.hwmMb,
      sampledPeakMb: watched.sampledPeakMb,
      samples: watched.samples,
      clientGrowthMb: watched.clientPeakMb - clientBaseline,
    };
    console.log(
      `${label}: ${round(mb(SIZE), 0)} MiB in ${patches} PATCH(es) in ${round(seconds, 2)} s = ${round(result.mbPerS)} MiB/s; ` +
        `server RSS ${round(freshMb)} MiB fresh, ${round(baselineMb)} after the warm-up → peak ${round(result.peakMb)} MiB (+${round(result.growthMb)} MiB; ` +
        `VmHWM ${result.hwmMb === null ? "not resettable" : `${round(result.hwmMb)} MiB`}, sampled peak ${round(result.sampledPeakMb)} MiB over ${result.samples} samples); ` +
        `this process (the client${label === "local" ? "" : ", and s3rver"}) +${round(result.clientGrowthMb)} MiB. Recorded: ${row.size} bytes, SHA-256 matches, listed.`,
    );
    return result;
  } finally {
    await server.stop();
    removeDir(dataDir);
  }
}

async function main() {
  if (!(SIZE > 0) || !(CHUNK > 0)) throw new Error("BENCH_UPLOAD_MB and BENCH_UPLOAD_CHUNK_MB must be numbers above 0 (CHUNK 0: one PATCH)");
  const work = tempDir("cercle-bench-upload-");
  const source = path.join(work, "source.bin");
  console.log(`Writing a ${SIZE_MB} MiB file of random bytes in ${work}…`);
  const t0 = performance.now();
  const sha256 = await generateFile(source, SIZE);
  console.log(`Written in ${round((performance.now() - t0) / 1000)} s. PATCH size: ${round(mb(CHUNK), 0)} MiB.`);

  // The copy runs just before and just after the local upload, and the yardstick is
  // their mean: the machine is shared and its disk speed drifts from minute to minute.
  const copies = [await diskCopy(source, work)];
  console.log(`Raw disk copy (fs.createReadStream → fs.createWriteStream, no fsync): ${round(copies[0])} MiB/s.`);
  const local = await run("local", source, sha256, { STORAGE_DRIVER: "local" }, async (key, dataDir) =>
    // The local driver keeps objects under DATA_DIR/files.
    statSync(path.join(dataDir, "files", ...key.split("/"))).size,
  );
  copies.push(await diskCopy(source, work));
  const diskMbPerS = (copies[0] + copies[1]) / 2;
  console.log(`Raw disk copy again: ${round(copies[1])} MiB/s; mean ${round(diskMbPerS)} MiB/s.`);

  const s3 = await startS3rver({ bucket: "cercle-bench" });
  cleanup.s3 = s3;
  let s3Result: RunResult;
  try {
    s3Result = await run(
      "s3rver",
      source,
      sha256,
      {
        STORAGE_DRIVER: "s3",
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: "1",
      },
      async (key) => {
        const { S3Client, HeadObjectCommand } = await import("@aws-sdk/client-s3");
        const client = new S3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: true,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        });
        try {
          return (await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ContentLength ?? -1;
        } finally {
          client.destroy();
        }
      },
    );
  } finally {
    await s3.close();
    cleanup.s3 = null;
  }
  removeDir(work);

  const figures = {
    rss_growth_mb_local: round(local.growthMb),
    rss_growth_mb_s3: round(s3Result.growthMb),
    mb_per_s_local: round(local.mbPerS),
    mb_per_s_s3: round(s3Result.mbPerS),
    mb_per_s_disk_copy: round(diskMbPerS),
    local_vs_disk_copy: round(local.mbPerS / diskMbPerS, 2),
    file_mb: round(mb(SIZE), 0),
    patch_mb: round(mb(CHUNK), 0),
    rss_fresh_mb_local: round(local.freshMb),
    rss_baseline_mb_local: round(local.baselineMb),
    rss_peak_mb_local: round(local.peakMb),
    rss_fresh_mb_s3: round(s3Result.freshMb),
    rss_baseline_mb_s3: round(s3Result.baselineMb),
    rss_peak_mb_s3: round(s3Result.peakMb),
    seconds_local: round(local.seconds, 2),
    seconds_s3: round(s3Result.seconds, 2),
  };
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  console.log(
    `Targets: RSS growth ≤ 64 MiB to local disk: ${figures.rss_growth_mb_local} MiB, ${verdict(figures.rss_growth_mb_local <= 64)}; ` +
      `≤ 100 MiB to S3: ${figures.rss_growth_mb_s3} MiB, ${verdict(figures.rss_growth_mb_s3 <= 100)}; ` +
      `local ≥ 50 % of the disk copy: ${Math.round(figures.local_vs_disk_copy * 100)} %, ${verdict(figures.local_vs_disk_copy >= 0.5)}.`,
  );
  console.log(JSON.stringify(figures));
}

main()
  .catch(async (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUpAll();
    // s3rver's and the SDK's sockets may linger; nothing is left to wait for.
    process.exit(process.exitCode ?? 0);
  });
