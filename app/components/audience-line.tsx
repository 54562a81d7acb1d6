import { Link } from "@remix-run/react";
import type { AudienceView } from "#app/audience/load.server.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";
import { personUrl } from "#app/urls.ts";
import { EyeIcon } from "./icons.tsx";

type Group = Extract<AudienceView, { reach: "space" }>["group"];

/** The noun phrase of each group, alone, with the viewer, or with the author named. */
const PHRASES: Record<Group, [MessageKey, MessageKey, MessageKey]> = {
  members: ["seenBy.members", "seenBy.members", "seenBy.members"],
  membersNotGuests: ["seenBy.membersNotGuests", "seenBy.membersNotGuests", "seenBy.membersNotGuests"],
  editors: ["seenBy.editors", "seenBy.editorsAndYou", "seenBy.editorsAndAuthor"],
  admins: ["seenBy.admins", "seenBy.adminsAndYou", "seenBy.adminsAndAuthor"],
  roles: ["seenBy.roles", "seenBy.roles", "seenBy.roles"],
  none: ["seenBy.nobody", "seenBy.onlyYou", "seenBy.onlyAuthor"],
};

/**
 * "Visible to the 23 members of Club Achats", near an item's title — or,
 * for a comment thread, "Comments visible to …". The words are built from
 * what describeAudience read off the item's own policy; the names behind
 * them open under the line for a reader who may see the club's member list.
 */
export function AudienceLine({ audience, thread = false }: { audience: AudienceView; thread?: boolean }) {
  const t = useT();
  const lead: MessageKey = thread ? "seenBy.thread" : "seenBy.item";
  if (audience.reach === "network") {
    return (
      <p className="audience-line">
        <EyeIcon className="audience-icon" />
        <span>{t(lead, { audience: t("seenBy.network") })}</span>
      </p>
    );
  }
  const [alone, withYou, withAuthor] = PHRASES[audience.group];
  const key = audience.author === null ? alone : audience.author === "you" ? withYou : withAuthor;
  const phrase = t(key, { count: audience.count, space: audience.space, name: typeof audience.author === "object" && audience.author ? audience.author.name : "" });
  const sentence = t(lead, { audience: phrase });
  if (!audience.people) {
    return (
      <p className="audience-line">
        <EyeIcon className="audience-icon" />
        <span>{sentence}</span>
      </p>
    );
  }
  return (
    <details className="audience-line audience-details">
      <summary>
        <EyeIcon className="audience-icon" />
        <span>{sentence}</span>
        <span className="audience-who">{t("seenBy.who")}</span>
      </summary>
      <ul className="audience-people">
        {audience.people.map((p) => (
          <li key={p.id}>
            <Link to={personUrl(p.id)}>{p.name}</Link>
            {p.role !== "member" ? <span className="muted"> · {t(`role.${p.role}`)}</span> : null}
          </li>
        ))}
      </ul>
      {audience.more > 0 ? (
        <p className="small">
          <Link to={audience.membersPath}>{t("seenBy.more", { count: audience.more })}</Link>
        </p>
      ) : null}
      <p className="muted small">{t("seenBy.networkAdmins")}</p>
    </details>
  );
}
