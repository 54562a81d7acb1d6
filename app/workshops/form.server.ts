import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { instantFromLocal, isTimeZone } from "#app/blog/schedule.ts";

/**
 * A workshop form, read and checked field by field: each refusal is a
 * catalogue key shown beside its field, and nothing is stored while any
 * remains. The description is checked apart (checkDocument, as the blog),
 * facilitators' membership and the cover by the commands, which read the
 * database.
 */

export const WORKSHOP_LIMITS = { title: 200, place: 300, outsideSpeaker: 200, videoUrl: 2000, reason: 1000 } as const;

export type WorkshopFormField = "title" | "startsAt" | "endsAt" | "timeZone" | "place" | "videoUrl" | "outsideSpeaker" | "capacity" | "registrationClosesAt" | "coverFileId" | "facilitators" | "content";
export type FieldErrors = Partial<Record<WorkshopFormField, string>>;

export interface WorkshopForm {
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  place: string | null;
  videoUrl: string | null;
  outsideSpeaker: string | null;
  capacity: number | null;
  registrationClosesAt: number | null;
  coverFileId: string | null;
  facilitatorIds: string[];
  content: string;
  /** What was typed, to fill the form again after a refusal. */
  raw: Record<string, string>;
}

/**
 * A zone the server can both compute in (Intl) and describe to calendars
 * (a VTIMEZONE): a zone without the second would give an .ics no calendar
 * can place (America/Montreal is such a link).
 */
export function isSupportedTimeZone(zone: string): boolean {
  if (!zone || !isTimeZone(zone)) return false;
  try {
    return Boolean(getVtimezoneComponent(zone));
  } catch {
    return false;
  }
}

const line = (value: string) => value.replace(/\s+/g, " ").trim();

export function readWorkshopForm(form: FormData, options: { isNew: boolean; now: number }): { ok: true; value: WorkshopForm } | { ok: false; errors: FieldErrors; raw: Record<string, string> } {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const raw: Record<string, string> = {};
  for (const name of ["title", "startsAt", "endsAt", "timeZone", "place", "videoUrl", "outsideSpeaker", "capacity", "registrationClosesAt", "coverFileId"]) raw[name] = field(name);
  const errors: FieldErrors = {};

  const title = line(raw.title);
  if (!title) errors.title = "v.required";
  else if (title.length > WORKSHOP_LIMITS.title) errors.title = "v.tooLong";

  const timeZone = raw.timeZone.trim();
  const zoneOk = isSupportedTimeZone(timeZone);
  if (!zoneOk) errors.timeZone = "workshops.badTimeZone";

  const startsAt = zoneOk ? instantFromLocal(raw.startsAt, timeZone) : null;
  const endsAt = zoneOk ? instantFromLocal(raw.endsAt, timeZone) : null;
  if (zoneOk && startsAt === null) errors.startsAt = "workshops.badMoment";
  else if (startsAt !== null && options.isNew && startsAt <= options.now) errors.startsAt = "workshops.startInPast";
  if (zoneOk && endsAt === null) errors.endsAt = "workshops.badMoment";
  else if (startsAt !== null && endsAt !== null && endsAt <= startsAt) errors.endsAt = "workshops.endBeforeStart";

  let registrationClosesAt: number | null = null;
  if (raw.registrationClosesAt.trim() && zoneOk) {
    registrationClosesAt = instantFromLocal(raw.registrationClosesAt, timeZone);
    if (registrationClosesAt === null) errors.registrationClosesAt = "workshops.badMoment";
    else if (startsAt !== null && registrationClosesAt > startsAt) errors.registrationClosesAt = "workshops.closesAfterStart";
  }

  const place = line(raw.place);
  if (place.length > WORKSHOP_LIMITS.place) errors.place = "v.tooLong";
  const outsideSpeaker = line(raw.outsideSpeaker);
  if (outsideSpeaker.length > WORKSHOP_LIMITS.outsideSpeaker) errors.outsideSpeaker = "v.tooLong";

  const videoUrl = raw.videoUrl.trim();
  if (videoUrl.length > WORKSHOP_LIMITS.videoUrl) errors.videoUrl = "v.tooLong";
  else if (videoUrl && !isHttps(videoUrl)) errors.videoUrl = "workshops.videoNotHttps";

  let capacity: number | null = null;
  const capacityText = raw.capacity.trim();
  if (capacityText) {
    capacity = /^\d{1,6}$/.test(capacityText) ? Number(capacityText) : NaN;
    if (!Number.isInteger(capacity) || capacity <= 0) errors.capacity = "workshops.badCapacity";
  }

  const facilitatorIds = [...new Set(form.getAll("facilitators").filter((v): v is string => typeof v === "string" && v.length > 0 && v.length <= 40))];
  if (facilitatorIds.length > 20) errors.facilitators = "workshops.tooManyFacilitators";

  const content = field("content");
  if (content.length > 2_000_000) errors.content = "v.tooLong";

  if (Object.keys(errors).length > 0 || startsAt === null || endsAt === null) return { ok: false, errors, raw };
  return {
    ok: true,
    value: {
      title,
      startsAt,
      endsAt,
      timeZone,
      place: place || null,
      videoUrl: videoUrl || null,
      outsideSpeaker: outsideSpeaker || null,
      capacity,
      registrationClosesAt,
      coverFileId: raw.coverFileId.trim() || null,
      facilitatorIds,
      content,
      raw,
    },
  };
}

function isHttps(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A reason (cancel, decline): one to a thousand characters. */
export function readReason(form: FormData): { ok: true; value: string } | { ok: false; error: string } {
  const value = form.get("reason");
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) return { ok: false, error: "v.required" };
  if (text.length > WORKSHOP_LIMITS.reason) return { ok: false, error: "v.tooLong" };
  return { ok: true, value: text };
}
