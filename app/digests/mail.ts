import type { DigestFrequency, Locale } from "#db/schema.ts";
import { translator, type Translate } from "#app/i18n/index.ts";
import type { Mail } from "#app/mail/compose.ts";
import { escapeHtml } from "#app/utils/html.ts";
import type { HomeItem } from "#app/home/load.server.ts";
import { workshopWhen } from "#app/workshops/mail.ts";
import type { DigestContent, DigestLine } from "./content.server.ts";

/**
 * The digest's mail: a plain-text part that reads on its own, and an HTML
 * twin laid out for mail clients (one column, inline styles, no images, no
 * script, every text escaped). "For you" first (the notifications the
 * member takes in the digest), then each club's news; links are absolute.
 */

export interface DigestMailParts {
  to: string;
  locale: Locale;
  network: string;
  name: string;
  frequency: Exclude<DigestFrequency, "off">;
  since: number;
  readerZone: string;
  content: DigestContent;
  baseUrl: URL | string;
  settingsUrl: string;
  unsubscribeUrl: string;
}

interface Entry {
  kind: string;
  title: string;
  url: string;
  detail: string;
  excerpt?: string;
}

const abs = (path: string, base: URL | string) => new URL(path, base).href;

function newsEntry(t: Translate, m: DigestMailParts, item: HomeItem): Entry {
  const who = item.actor?.name ?? t("activity.someone");
  const url = abs(item.url, m.baseUrl);
  switch (item.kind) {
    case "post":
      return { kind: t("home.kind.post"), title: item.title, url, detail: t("home.postBy", { name: who }), excerpt: item.excerpt || undefined };
    case "page":
      return { kind: t("home.kind.page"), title: item.title, url, detail: t(item.created ? "home.pageCreated" : "home.pageEdited", { name: who }) };
    case "file":
      return { kind: t("home.kind.file"), title: item.title, url, detail: item.version > 1 ? t("home.fileVersion", { name: who, version: item.version }) : t("home.fileAdded", { name: who }) };
    case "workshop": {
      const when = workshopWhen(m.locale, { starts_at: item.startsAt, ends_at: item.endsAt, time_zone: item.timeZone }, m.readerZone);
      return { kind: t("home.kind.workshop"), title: item.title, url, detail: item.cancelled ? `${t("workshops.state.cancelled")} · ${when}` : when };
    }
    case "ask": {
      const parts = [t("home.askBy", { name: who, kind: t(`asks.kind.${item.askKind}`) })];
      if (item.skills.length > 0) parts.push(t("home.askSkills", { skills: item.skills.join(", ") }));
      if (item.region) parts.push(t("home.askRegion"));
      parts.push(t("home.answers", { count: item.answers }));
      return { kind: t("home.kind.ask"), title: item.title, url, detail: parts.join(" · ") };
    }
    case "member":
      return {
        kind: t("home.kind.member"),
        title: t("home.memberJoined", { name: item.title, club: item.club.name }),
        url,
        detail: item.byRequest ? t("home.joinedAtRequest", { name: item.sponsor ?? t("comments.formerMember") }) : item.sponsor ? t("home.sponsoredBy", { name: item.sponsor }) : t("home.joinedDirectly"),
      };
  }
}

function lineEntry(t: Translate, m: DigestMailParts, line: DigestLine): Entry {
  const title = line.grouped ? t(line.grouped, { count: line.count, title: line.title }) : t(line.what, { name: line.names[0] ?? t("comments.formerMember"), title: line.title });
  return { kind: line.space, title, url: abs(line.path, m.baseUrl), detail: line.grouped ? line.names.join(", ") : "", excerpt: line.excerpt || undefined };
}

const S = {
  body: "margin:0;padding:0;background:#f1f5f9",
  wrap: "max-width:600px;margin:0 auto;padding:24px 16px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:15px;line-height:1.5;color:#0f172a",
  card: "background:#ffffff;border-radius:10px;padding:20px 22px;margin:0 0 16px",
  network: "margin:0 0 4px;color:#475569;font-size:13px;letter-spacing:.02em;text-transform:uppercase",
  h1: "margin:0 0 8px;font-size:22px;line-height:1.3",
  h2: "margin:0 0 10px;font-size:17px;line-height:1.3;color:#312e81",
  list: "margin:0;padding:0;list-style:none",
  item: "margin:0 0 14px;padding:0 0 12px;border-bottom:1px solid #e2e8f0",
  kind: "display:inline-block;margin:0 0 2px;color:#475569;font-size:12px;text-transform:uppercase;letter-spacing:.03em",
  link: "color:#3730a3;font-weight:600;text-decoration:underline",
  detail: "margin:2px 0 0;color:#475569;font-size:13px",
  excerpt: "margin:6px 0 0;color:#334155;font-size:14px",
  button: "display:inline-block;background:#3730a3;color:#ffffff;text-decoration:none;font-weight:600;padding:10px 18px;border-radius:8px",
  foot: "margin:0 0 8px;color:#475569;font-size:12px",
  footLink: "color:#475569",
};

function htmlEntries(entries: Entry[]): string {
  const items = entries.map((e, i) => {
    const last = i === entries.length - 1;
    return (
      `<li style="${last ? S.item.replace(/;padding:0 0 12px;border-bottom:1px solid #e2e8f0/, ";margin:0") : S.item}">` +
      `<span style="${S.kind}">${escapeHtml(e.kind)}</span><br>` +
      `<a href="${escapeHtml(e.url)}" style="${S.link}">${escapeHtml(e.title)}</a>` +
      (e.detail ? `<p style="${S.detail}">${escapeHtml(e.detail)}</p>` : "") +
      (e.excerpt ? `<p style="${S.excerpt}">${escapeHtml(e.excerpt)}</p>` : "") +
      `</li>`
    );
  });
  return `<ul style="${S.list}">${items.join("")}</ul>`;
}

function textEntries(entries: Entry[]): string {
  return entries
    .map((e) => [`• ${e.title}`, `  ${e.kind}${e.detail ? ` · ${e.detail}` : ""}`, ...(e.excerpt ? [`  ${e.excerpt.replace(/\s+/g, " ")}`] : []), `  ${e.url}`].join("\n"))
    .join("\n\n");
}

export function digestMail(m: DigestMailParts): Mail {
  const t = translator(m.locale);
  const since = new Intl.DateTimeFormat(m.locale === "fr" ? "fr-FR" : "en-GB", { weekday: "long", day: "numeric", month: "long", timeZone: m.readerZone }).format(m.since);
  const heading = t(m.frequency === "daily" ? "digest.heading.daily" : "digest.heading.weekly");
  const intro = t("digest.intro", { name: m.name, since });
  const homeUrl = abs("/", m.baseUrl);
  const sections: Array<{ title: string; entries: Entry[] }> = [];
  if (m.content.lines.length > 0) sections.push({ title: t("digest.forYou"), entries: m.content.lines.map((l) => lineEntry(t, m, l)) });
  for (const club of m.content.clubs) sections.push({ title: club.name, entries: club.items.map((item) => newsEntry(t, m, item)) });
  const why = t(m.frequency === "daily" ? "digest.why.daily" : "digest.why.weekly", { network: m.network });
  const more = m.content.more ? t("digest.more") : null;

  const text = [
    `${heading} — ${m.network}`,
    intro,
    ...sections.map((s) => `== ${s.title} ==\n\n${textEntries(s.entries)}`),
    ...(more ? [`${more}\n${homeUrl}`] : []),
    `${t("digest.open")}\n${homeUrl}`,
    `-- \n${why}\n${t("digest.settings")} ${m.settingsUrl}\n${t("digest.unsubscribe")} ${m.unsubscribeUrl}`,
  ].join("\n\n");

  const html =
    `<!doctype html><html lang="${m.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(heading)}</title></head>` +
    // One landmark holding it all: screen readers in webmail and in a browser find where the mail begins.
    `<body style="${S.body}"><main style="${S.wrap}">` +
    `<div style="${S.card}"><p style="${S.network}">${escapeHtml(m.network)}</p><h1 style="${S.h1}">${escapeHtml(heading)}</h1><p style="margin:0">${escapeHtml(intro)}</p></div>` +
    sections.map((s) => `<div style="${S.card}"><h2 style="${S.h2}">${escapeHtml(s.title)}</h2>${htmlEntries(s.entries)}</div>`).join("") +
    `<div style="${S.card}">` +
    (more ? `<p style="margin:0 0 12px">${escapeHtml(more)}</p>` : "") +
    `<a href="${escapeHtml(homeUrl)}" style="${S.button}">${escapeHtml(t("digest.open"))}</a></div>` +
    `<p style="${S.foot}">${escapeHtml(why)}</p>` +
    `<p style="${S.foot}"><a href="${escapeHtml(m.settingsUrl)}" style="${S.footLink}">${escapeHtml(t("digest.settingsLink"))}</a> · <a href="${escapeHtml(m.unsubscribeUrl)}" style="${S.footLink}">${escapeHtml(t("digest.unsubscribeLink"))}</a></p>` +
    `</main></body></html>`;

  return {
    to: m.to,
    subject: t(m.frequency === "daily" ? "digest.subject.daily" : "digest.subject.weekly", { network: m.network, count: m.content.total }),
    text: `${text}\n`,
    html,
    link: homeUrl,
    unsubscribe: m.unsubscribeUrl,
  };
}
