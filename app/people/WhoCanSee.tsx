import { Link } from "@remix-run/react";
import type { Audience, Listing, ProfileField } from "#db/profile-fields.ts";
import { PROFILE_FIELD_NAMES } from "#db/profile-fields.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";
import { personPreviewUrl, personUrl, spaceUrl } from "#app/urls.ts";

export const FIELD_LABELS: Record<ProfileField, MessageKey> = {
  photo: "profile.photo",
  headline: "profile.headline",
  bio: "profile.bio",
  skills: "profile.skills",
  sectors: "profile.sectors",
  region: "profile.region",
  city: "profile.city",
  status: "profile.status",
  languages: "profile.languages",
  links: "person.links",
  openTo: "profile.openTo",
  email: "profile.email",
};

export interface Audiences {
  /** Distinct people sharing at least one space with the member. */
  clubPeople: number;
  /** Every other member of the network. */
  networkPeople: number;
  spaces: Array<{ slug: string; name: string; others: number }>;
}

/**
 * "Who can see my profile", in plain words, for the choices as they stand in
 * the form (it follows each select as it changes, before saving). The
 * narrower of the field's audience and the profile's listing wins, as in
 * canSeeField.
 */
export function WhoCanSee({ memberId, listing, vis, audiences }: { memberId: string; listing: Listing; vis: Record<ProfileField, Audience>; audiences: Audiences }) {
  const t = useT();
  const words = (audience: Audience) =>
    audience === "me"
      ? t("profile.who.me")
      : audience === "clubs" || listing === "clubs"
        ? t("profile.who.clubs", { count: audiences.clubPeople })
        : t("profile.who.network", { count: audiences.networkPeople });
  return (
    <section className="card who-can-see" aria-labelledby="who-title">
      <h2 id="who-title">{t("profile.who.title")}</h2>
      <p className="muted small">{t("profile.who.intro")}</p>
      <ul className="list-reset who-list" aria-live="polite">
        <li>
          <strong>{t("profile.who.findable")}</strong>{" "}
          {listing === "network"
            ? t("profile.who.listedNetwork", { count: audiences.networkPeople })
            : t("profile.who.listedClubs", { count: audiences.clubPeople })}
        </li>
        {PROFILE_FIELD_NAMES.map((field) => (
          <li key={field} data-audience={vis[field] === "me" ? "me" : vis[field] === "clubs" || listing === "clubs" ? "clubs" : "network"}>
            {t("profile.who.line", { field: t(FIELD_LABELS[field]), audience: words(vis[field]) })}
          </li>
        ))}
      </ul>
      <h3>{t("profile.who.yourClubs")}</h3>
      {audiences.spaces.length === 0 ? (
        <p className="muted small">{t("profile.who.noClubs")}</p>
      ) : (
        <ul className="list-reset who-clubs">
          {audiences.spaces.map((s) => (
            <li key={s.slug}>
              <Link to={spaceUrl(s.slug)}>{t("profile.who.clubLine", { name: s.name, count: s.others })}</Link>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <Link to={personUrl(memberId)} className="btn btn-small">
          {t("profile.preview")}
        </Link>
        <Link to={personPreviewUrl(memberId, "club")} className="btn btn-small">
          {t("person.seeAsClub")}
        </Link>
        <Link to={personPreviewUrl(memberId, "network")} className="btn btn-small">
          {t("person.seeAsNetwork")}
        </Link>
      </div>
    </section>
  );
}
