import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { CalendarIcon } from "#app/components/icons.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canReadSpace } from "#app/policies/space.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { notFound } from "#app/utils/http.server.ts";

// Sections announced in the space's navigation but not built yet. Each gets
// its own route when it lands; until then they say so plainly.
const SECTIONS = ["workshops"] as const;
type Section = (typeof SECTIONS)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSpace(request, params.space, canReadSpace);
  const section = params.section as Section;
  if (!SECTIONS.includes(section)) notFound();
  return { section };
}

const ICONS: Record<Section, typeof CalendarIcon> = { workshops: CalendarIcon };

export default function ComingSoon() {
  const t = useT();
  const { section } = useLoaderData<typeof loader>();
  const name = t(`space.${section}`);
  const SectionIcon = ICONS[section];
  return (
    <section className="card soon" aria-labelledby="soon-title">
      <span className="soon-icon">
        <SectionIcon />
      </span>
      <h2 id="soon-title">{t("space.sectionSoonTitle", { section: name })}</h2>
      <p className="muted">{t("space.sectionSoon")}</p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
