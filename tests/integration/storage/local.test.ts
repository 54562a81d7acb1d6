import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { Upload } from "@tus/utils";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { newId } from "#db/ids.ts";
import { LocalDriver } from "#storage/local.ts";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("the local driver on disk", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "cercle-local-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a tus upload is <root>/<id> beside <root>/<id>.json", async () => {
    const root = path.join(dir, "files");
    const driver = new LocalDriver({ root });
    const id = newId();
    // The store makes its folder itself, before any check() ran.
    const store = driver.uploadStore();
    expect((await stat(root)).isDirectory()).toBe(true);
    await store.create(new Upload({ id, size: 6, offset: 0 }));
    await store.write(Readable.from([Buffer.from("abc")]), id, 0);
    expect((await readdir(root)).sort()).toEqual([id, `${id}.json`]);
    await store.write(Readable.from([Buffer.from("def")]), id, 3);
    expect(await collect(driver.list())).toEqual([{ key: id, size: 6 }]);
  });

  test("a put whose folder cannot be made fails and leaves the root as it was", async () => {
    const driver = new LocalDriver({ root: dir });
    await writeFile(path.join(dir, "blocker"), "a file where a folder is wanted");
    await expect(driver.put("blocker/inside", Buffer.from("x"))).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(driver.put("blocker/inside", Readable.from([Buffer.from("x")]))).rejects.toMatchObject({
      code: "ENOTDIR",
    });
    expect(await readdir(dir)).toEqual(["blocker"]);
  });

  test("files no key could name are not listed and cannot be read", async () => {
    const driver = new LocalDriver({ root: dir });
    await driver.put("kept/one", Buffer.from("1"));
    await writeFile(path.join(dir, ".DS_Store"), "");
    await writeFile(path.join(dir, "kept", "Notes.TXT"), "");
    await writeFile(path.join(dir, "kept", ".one.abc123.tmp"), "a stray temporary file");
    expect(await collect(driver.list())).toEqual([{ key: "kept/one", size: 1 }]);
    await expect(driver.get("kept/Notes.TXT")).rejects.toThrow(/storage key/);
  });
});
