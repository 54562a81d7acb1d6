import { instantFromLocal } from "#app/blog/schedule.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { WORKSHOP_LIMITS } from "./limits.ts";
import { supportsTimeZone } from "./time-zones.ts";

/**
 * The workshop form as posted: every field read, bounded and checked, each
 * refusal said beside its field and nothing stored. Times are typed as a
 * date and two wall-clock times in the zone chosen (the member's own by
 * default) and stored as instants with that zone.
 */

export { WORKSHOP_LIMITS };

export interface WorkshopFormValue {
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  place: string | null;
  videoUrl: string | null;
  outsideSpeaker: string | null;
  capacity: number | null;
  /** When registrations close (an instant before the start), or null: until the start. */
  registrationClosesAt: number | null;
  /** Members of the space who lead it (the commands check they are). */
  facilitatorIds: string[];
  /** An image of the space's files (the commands check it is). */
  coverFileId: string | null;
  /** Opened to the whole network (the commands check the space may). */
  network: boolean;
  /** The posted Lexical document, checked by the command (checkDocument). */
  description: string;
}

export type WorkshopField =
  | "title"
  | "date"
  | "start"
  | "end"
  | "timeZone"
  | "place"
  | "videoUrl"
  | "outsideSpeaker"
  | "capacity"
  | "closes"
  | "facilitators"
  | "coverFileId"
  | "network"
  | "description";

type TextField = Exclude<WorkshopField, "description" | "facilitators" | "network">;
/** What the form shows back after a refusal: the text as typed. */
export type WorkshopFormEcho = Record<TextField, string> & { facilitators: string[]; network: boolean; description: string | null };

export type WorkshopFormResult = { ok: true; value: WorkshopFormValue } | { ok: false; errors: Partial<Record<WorkshopField, MessageKey>> };

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v.replace(/\r\n?/g, "\n").trim() : "";
};
// Control characters (but tab and newline) are never text a person meant.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function echoOf(form: FormData, fallbackZone: string): WorkshopFormEcho {
  return {
    title: text(form, "title"),
    date: text(form, "date"),
    start: text(form, "start"),
    end: text(form, "end"),
    timeZone: text(form, "timeZone") || fallbackZone,
    place: text(form, "place"),
    videoUrl: text(form, "videoUrl"),
    outsideSpeaker: text(form, "outsideSpeaker"),
    capacity: text(form, "capacity"),
    closes: text(form, "closes"),
    facilitators: facilitatorIdsOf(form),
    coverFileId: text(form, "coverFileId"),
    network: form.get("network") === "on",
    description: text(form, "description") || null,
  };
}

/** What a workshop holds, as its form shows it to be edited (in the zone it was given in). */
export function echoOfWorkshop(
  w: { title: string; starts_at: number; ends_at: number; time_zone: string; place: string | null; video_url: string | null; outside_speaker: string | null; capacity: number | null; registration_closes_at: number | null; cover_file_id: string | null; visibility: string; description_json: string },
  facilitatorIds: string[],
): WorkshopFormEcho {
  const start = wallClock(w.starts_at, w.time_zone);
  return {
    title: w.title,
    date: start.slice(0, 10),
    start: start.slice(11, 16),
    end: wallClock(w.ends_at, w.time_zone).slice(11, 16),
    timeZone: w.time_zone,
    place: w.place ?? "",
    videoUrl: w.video_url ?? "",
    outsideSpeaker: w.outside_speaker ?? "",
    capacity: w.capacity === null ? "" : String(w.capacity),
    closes: w.registration_closes_at === null ? "" : wallClock(w.registration_closes_at, w.time_zone).slice(0, 16),
    facilitators: facilitatorIds,
    coverFileId: w.cover_file_id ?? "",
    network: w.visibility === "network",
    description: w.description_json,
  };
}

/** "YYYY-MM-DDTHH:MM" as the clocks in `zone` read at `instant`. */
function wallClock(instant: number, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function facilitatorIdsOf(form: FormData): string[] {
  return [...new Set(form.getAll("facilitators").filter((v): v is string => typeof v === "string" && v.length > 0 && v.length <= 64))];
}

/** A new workshop may not start in the past (`now`); an edit of one already held may keep its date. */
export function readWorkshopForm(form: FormData, options: { now: number; allowPast?: boolean }): WorkshopFormResult {
  const errors: Partial<Record<WorkshopField, MessageKey>> = {};
  const title = text(form, "title");
  if (!title) errors.title = "workshops.error.titleRequired";
  else if (title.length > WORKSHOP_LIMITS.title || CONTROL.test(title)) errors.title = "workshops.error.titleTooLong";

  const zone = text(form, "timeZone");
  if (!zone || zone.length > 64 || !supportsTimeZone(zone)) errors.timeZone = "workshops.error.timeZone";
  const date = text(form, "date");
  const start = text(form, "start");
  const end = text(form, "end");
  let startsAt: number | null = null;
  let endsAt: number | null = null;
  if (!errors.timeZone) {
    startsAt = /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}$/.test(start) ? instantFromLocal(`${date}T${start}`, zone) : null;
    endsAt = /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}$/.test(end) ? instantFromLocal(`${date}T${end}`, zone) : null;
    if (startsAt === null) errors[/^\d{4}-\d{2}-\d{2}$/.test(date) ? "start" : "date"] = "workshops.error.when";
    else if (!options.allowPast && startsAt <= options.now) errors.date = "workshops.error.past";
    if (endsAt === null) errors.end = "workshops.error.when";
    else if (startsAt !== null && endsAt <= startsAt) errors.end = "workshops.error.endBeforeStart";
  }

  const place = text(form, "place");
  if (place.length > WORKSHOP_LIMITS.place || CONTROL.test(place.replace(/\n/g, " "))) errors.place = "workshops.error.placeTooLong";
  const videoUrl = text(form, "videoUrl");
  if (videoUrl && (videoUrl.length > WORKSHOP_LIMITS.videoUrl || !isHttps(videoUrl))) errors.videoUrl = "workshops.error.videoUrl";
  const outsideSpeaker = text(form, "outsideSpeaker");
  if (outsideSpeaker.length > WORKSHOP_LIMITS.speaker || CONTROL.test(outsideSpeaker)) errors.outsideSpeaker = "workshops.error.speakerTooLong";
  const rawCapacity = text(form, "capacity");
  let capacity: number | null = null;
  if (rawCapacity) {
    capacity = /^[0-9]{1,6}$/.test(rawCapacity) ? Number(rawCapacity) : NaN;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > WORKSHOP_LIMITS.capacity) errors.capacity = "workshops.error.capacity";
  }
  const closes = text(form, "closes");
  let registrationClosesAt: number | null = null;
  if (closes && !errors.timeZone) {
    registrationClosesAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(closes) ? instantFromLocal(closes, zone) : null;
    if (registrationClosesAt === null) errors.closes = "workshops.error.when";
    else if (startsAt !== null && registrationClosesAt > startsAt) errors.closes = "workshops.error.closesAfterStart";
  }
  const facilitatorIds = facilitatorIdsOf(form);
  if (facilitatorIds.length > WORKSHOP_LIMITS.facilitators) errors.facilitators = "workshops.error.tooManyFacilitators";
  const coverFileId = text(form, "coverFileId");
  if (coverFileId.length > 64) errors.coverFileId = "workshops.error.coverNotFound";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      startsAt: startsAt!,
      endsAt: endsAt!,
      timeZone: zone,
      place: place || null,
      videoUrl: videoUrl || null,
      outsideSpeaker: outsideSpeaker || null,
      capacity,
      registrationClosesAt,
      facilitatorIds,
      coverFileId: coverFileId || null,
      network: form.get("network") === "on",
      description: text(form, "description"),
    },
  };
}

function isHttps(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** A reason (cancel, decline): one to a thousand characters. */
export function readReason(form: FormData): { ok: true; value: string } | { ok: false; error: MessageKey } {
  const value = form.get("reason");
  const reason = typeof value === "string" ? value.replace(/\r\n?/g, "\n").trim() : "";
  if (!reason) return { ok: false, error: "workshops.error.reasonRequired" };
  if (reason.length > WORKSHOP_LIMITS.reason || CONTROL.test(reason)) return { ok: false, error: "workshops.error.reasonTooLong" };
  return { ok: true, value: reason };
}
