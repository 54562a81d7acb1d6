import { deflateSync } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import { currentProfileInput, writeProfile } from "#db/queries/people.ts";
import type { Client } from "#tests/helpers/http.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The profile photo over real HTTP: a real JPEG (with GPS and an
 * orientation in its EXIF) comes back as square WebP in two sizes with no
 * metadata at all; a decompression bomb, a PDF named .jpg, an SVG and an
 * oversized file are refused with their message, the photo before kept;
 * the photo is served only to those who may see that field, and only under
 * its member's current photo id.
 */

type People = "ines" | "peer" | "outsider";
let w: World<People, "club">;

beforeAll(async () => {
  w = await world({
    people: { ines: { displayName: "Inès Garnier" }, peer: { displayName: "Paul Pair" }, outsider: { displayName: "Olga Dehors" } },
    spaces: { club: { createdBy: "ines", slug: "club", name: "Club", members: { peer: "member" } } },
  });
});
afterAll(() => w?.close());

async function upload(who: Client, file: { bytes: Uint8Array; name: string; type: string }) {
  const body = new FormData();
  body.append("photo", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await fetch(`${w.server.url}/settings/profile/photo`, {
    method: "POST",
    body,
    redirect: "manual",
    headers: { Origin: w.server.url, "Sec-Fetch-Site": "same-origin", Cookie: [...who.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  await res.arrayBuffer();
  // The flash travels in a cookie, as for the browser: into the client's jar.
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    who.setCookie(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return res;
}

/** The flash the next page shows, read as the person would. */
async function flash(who: Client): Promise<string> {
  return (await who.get("/settings/profile")).text;
}

const photoId = async () => (await w.store.db.selectFrom("user").select("photo_id").where("id", "=", w.people.ines.id).executeTakeFirstOrThrow()).photo_id;

/** A JPEG as a phone makes one: 1200 × 600, taken on its side (orientation 6), with where it was taken. */
async function phoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 600, channels: 3, background: { r: 180, g: 90, b: 60 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: "Phone", Model: "Test" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 3/1" } })
    .toBuffer();
}

/** A PNG whose header declares 100,000 × 100,000 pixels over a body of a few bytes. */
function pngBomb(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.alloc(1024))), chunk("IEND", Buffer.alloc(0))]);
}

describe("uploading", () => {
  test("a phone's JPEG becomes two square WebP sizes, upright, with no EXIF, GPS or other metadata", async () => {
    const res = await upload(w.c.ines, { bytes: await phoneJpeg(), name: "IMG_2041.jpg", type: "image/jpeg" });
    expect(res.status).toBe(302);
    expect(await flash(w.c.ines)).toContain(translate("fr", "photo.saved"));
    const id = await photoId();
    expect(id).toMatch(/^[a-z0-9]+$/);
    for (const [size, px] of [["s", 128], ["l", 400]] as const) {
      const served = await fetch(`${w.server.url}/people/${w.people.ines.id}/photo/${id}/${size}`, { headers: { Cookie: [...w.c.peer.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/webp");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(served.headers.get("content-security-policy")).toContain("sandbox");
      const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: "webp", width: px, height: px });
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
    }
  });

  const refusals: Array<[string, () => Promise<{ bytes: Uint8Array; name: string; type: string }>, string]> = [
    ["a decompression bomb (100,000 × 100,000 declared)", async () => ({ bytes: pngBomb(), name: "bomb.png", type: "image/png" }), "photo.error.too-many-pixels"],
    ["a PDF named .jpg", async () => ({ bytes: Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), name: "photo.jpg", type: "image/jpeg" }), "photo.error.not-image"],
    ["an SVG (sharp reads it; we never take one)", async () => ({ bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"><rect width="50" height="50" fill="red"/></svg>'), name: "me.svg", type: "image/svg+xml" }), "photo.error.not-image"],
    ["a text file", async () => ({ bytes: Buffer.from("bonjour"), name: "bonjour.png", type: "image/png" }), "photo.error.not-image"],
  ];
  test.each(refusals)("%s is refused with its message, the photo before kept", async (_what, make, message) => {
    const before = await photoId();
    expect(before).not.toBeNull();
    const res = await upload(w.c.ines, await make());
    expect(res.status).toBe(302);
    expect(await flash(w.c.ines)).toContain(translate("fr", message as never));
    expect(await photoId()).toBe(before);
    expect((await w.c.peer.get(`/people/${w.people.ines.id}/photo/${before}/s`)).status).toBe(200);
  });

  test("a file over 15 MB is refused before it is read whole", async () => {
    const before = await photoId();
    const res = await upload(w.c.ines, { bytes: new Uint8Array(16 * 1024 * 1024), name: "huge.jpg", type: "image/jpeg" });
    expect(res.status).toBe(413);
    expect(await photoId()).toBe(before);
  });
});

describe("serving", () => {
  test("only under the member's current id; another member's address or an old id is 404", async () => {
    const first = await photoId();
    await upload(w.c.ines, { bytes: await phoneJpeg(), name: "again.jpg", type: "image/jpeg" });
    const second = await photoId();
    expect(second).not.toBe(first);
    expect((await w.c.peer.get(`/people/${w.people.ines.id}/photo/${second}/l`)).status).toBe(200);
    // The replaced photo: gone from the address and from storage.
    expect((await w.c.peer.get(`/people/${w.people.ines.id}/photo/${first}/l`)).status).toBe(404);
    // Inès's photo id under Paul's address (he has none): 404.
    expect((await w.c.peer.get(`/people/${w.people.peer.id}/photo/${second}/l`)).status).toBe(404);
    expect((await w.c.peer.get(`/people/${w.people.ines.id}/photo/${second}/xl`)).status).toBe(404);
    const anonymous = await w.anonymous.get(`/people/${w.people.ines.id}/photo/${second}/s`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toContain("/login");
  });

  test("a photo kept to the member's clubs is 404 to the rest of the network, shown to a peer", async () => {
    const id = await photoId();
    const url = `/people/${w.people.ines.id}/photo/${id}/s`;
    expect((await w.c.outsider.get(url)).status).toBe(200);
    const p = await currentProfileInput(w.store.db, w.people.ines.id);
    await writeProfile(w.store.db, w.people.ines.id, { ...p, visibility: { ...p.visibility, photo: "clubs" } }, Date.now());
    expect((await w.c.outsider.get(url)).status).toBe(404);
    expect((await w.c.peer.get(url)).status).toBe(200);
    // …and the directory shows the outsider her initials, not the address.
    expect((await w.c.outsider.get("/people")).text).not.toContain(`/photo/${id}/`);
    await writeProfile(w.store.db, w.people.ines.id, { ...p, visibility: { ...p.visibility, photo: "me" } }, Date.now());
    expect((await w.c.peer.get(url)).status).toBe(404);
    expect((await w.c.ines.get(url)).status).toBe(200);
  });

  test("removing it: the address is gone, the initials are back", async () => {
    const id = await photoId();
    const res = await w.c.ines.post("/settings/profile/photo", { intent: "remove" });
    expect(res.status).toBe(302);
    expect(await photoId()).toBeNull();
    expect((await w.c.ines.get(`/people/${w.people.ines.id}/photo/${id}/s`)).status).toBe(404);
  });
});
