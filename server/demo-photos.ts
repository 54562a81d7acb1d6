import { newId } from "#db/ids.ts";
import { transact } from "#db/transact.ts";
import { changePhoto } from "#app/accounts/commands.server.ts";
import { processPhoto, storePhoto } from "#app/people/photo.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { actingIn, type DemoWorld } from "./demo-world.ts";

/**
 * Photos for some of the demo's members (the others keep their initials, as
 * most members do at first). We cannot ship photographs of people, so each
 * is an illustrated portrait — a head and shoulders on a soft background —
 * drawn here as SVG, rendered by sharp into a JPEG as a phone would send
 * one, and sent through the members' own photo pipeline. SVG is drawn only
 * here: the pipeline refuses it from anyone.
 */

interface Portrait {
  person: string;
  space: string;
  background: [string, string];
  skin: string;
  hair: string;
  /** The hair's outline above the face. */
  hairStyle: "short" | "long" | "bun" | "bald";
  jacket: string;
  shirt: string;
}

const PORTRAITS: Portrait[] = [
  { person: "claire", space: "achats", background: ["#e0e7ff", "#c7d2fe"], skin: "#f2c9a8", hair: "#6b3e26", hairStyle: "long", jacket: "#312e81", shirt: "#f8fafc" },
  { person: "sophie", space: "achats", background: ["#fce7f3", "#fbcfe8"], skin: "#e8b996", hair: "#2d1b12", hairStyle: "bun", jacket: "#0f766e", shirt: "#ecfeff" },
  { person: "karim", space: "lyon", background: ["#dcfce7", "#bbf7d0"], skin: "#c68e65", hair: "#1c1917", hairStyle: "short", jacket: "#1e3a8a", shirt: "#e0f2fe" },
  { person: "nathalie", space: "rh", background: ["#fef3c7", "#fde68a"], skin: "#f5d0b5", hair: "#a16207", hairStyle: "long", jacket: "#7c2d12", shirt: "#fff7ed" },
  { person: "pierre", space: "ouest", background: ["#e0f2fe", "#bae6fd"], skin: "#eec4a4", hair: "#9ca3af", hairStyle: "bald", jacket: "#374151", shirt: "#f1f5f9" },
];

function hairPath(style: Portrait["hairStyle"]): string {
  switch (style) {
    case "long":
      return "M190 250 C190 150 410 150 410 250 L420 420 C380 430 360 380 360 330 L240 330 C240 380 220 430 180 420 Z";
    case "bun":
      return "M200 240 C200 160 400 160 400 240 C380 200 220 200 200 240 Z M270 150 a30 30 0 1 0 60 0 a30 30 0 1 0 -60 0";
    case "short":
      return "M205 245 C200 165 400 165 395 245 C370 210 230 210 205 245 Z";
    case "bald":
      return "M208 270 C205 250 212 240 218 236 L220 300 Z M392 270 C395 250 388 240 382 236 L380 300 Z";
  }
}

function svg(p: Portrait): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${p.background[0]}"/><stop offset="1" stop-color="${p.background[1]}"/></linearGradient></defs>
  <rect width="600" height="600" fill="url(#bg)"/>
  <path d="M90 600 C100 470 190 430 300 430 C410 430 500 470 510 600 Z" fill="${p.jacket}"/>
  <path d="M255 430 L300 520 L345 430 Z" fill="${p.shirt}"/>
  <rect x="268" y="360" width="64" height="80" rx="24" fill="${p.skin}"/>
  <ellipse cx="300" cy="280" rx="95" ry="115" fill="${p.skin}"/>
  <path d="${hairPath(p.hairStyle)}" fill="${p.hair}"/>
  <ellipse cx="265" cy="285" rx="9" ry="7" fill="#1f2937"/><ellipse cx="335" cy="285" rx="9" ry="7" fill="#1f2937"/>
  <path d="M270 338 Q300 360 330 338" stroke="#9a3412" stroke-width="6" fill="none" stroke-linecap="round"/>
</svg>`;
}

export async function seedDemoPhotos(world: DemoWorld) {
  const { default: sharp } = await import("sharp");
  const storage = getStorage();
  for (const p of PORTRAITS) {
    const person = world.people[p.person];
    if (!person) throw new Error(`demo photos: no ${p.person}`);
    const jpeg = await sharp(Buffer.from(svg(p))).jpeg({ quality: 90 }).toBuffer();
    const photo = await processPhoto(jpeg);
    if (!photo.ok) throw new Error(`demo photo of ${p.person} refused: ${photo.error}`);
    const photoId = newId();
    await storePhoto(storage, person.id, photoId, photo.sizes);
    const ctx = await actingIn(world, p.person, p.space, world.now);
    await transact(world.db, (trx) => changePhoto(trx, ctx, photoId));
  }
}
