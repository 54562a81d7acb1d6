import { Form } from "@remix-run/react";
import { useId } from "react";
import { Avatar } from "#app/components/avatar.tsx";
import { useT } from "#app/i18n/react.tsx";
import type { RegistrationView } from "./registration.server.ts";

/** The limit the server enforces (registration.server.ts NOTE_MAX), repeated for the browser's own maxLength: that module is server-only. */
const NOTE_MAX = 280;

const CHOICES = ["going", "maybe", "not_going"] as const;

/**
 * Registration on a workshop's page: seats left, who is coming, the viewer's
 * own answer (with their place on the waitlist), and the three answers as one
 * group of buttons, each a single click that posts `status` (and the note)
 * to `action`. The current answer is the pressed button (aria-pressed), so a
 * screen reader says which one holds. When registration is closed, why.
 */
export function RegistrationPanel({ view, action, canRegister }: { view: RegistrationView; action: string; canRegister: boolean }) {
  const t = useT();
  const id = useId();
  const { seats, mine } = view;
  const going = view.attendees.filter((a) => a.status === "going");
  const maybe = view.attendees.filter((a) => a.status === "maybe");
  // Full for this viewer: "going" would put them on the waitlist.
  const holding = mine?.status === "going" || mine?.status === "waiting";
  const full = seats.left !== null && (seats.left === 0 || seats.waiting > 0) && !holding;
  const pressed = (choice: (typeof CHOICES)[number]) => (choice === "going" ? holding : mine?.status === choice);

  return (
    <section className="card registration" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("workshops.registration.title")}</h2>
      {/* Seats left mean nothing once it is over. */}
      {view.closedBecause === "past" ? null : (
      <p className="registration-seats">
        {seats.capacity !== null ? t("workshops.registration.seatsLeft", { left: seats.left ?? 0, capacity: seats.capacity }) : t("workshops.registration.going", { count: seats.going })}
        {seats.waiting > 0 ? (
          <>
            {" · "}
            {t("workshops.registration.waiting", { count: seats.waiting })}
          </>
        ) : null}
      </p>
      )}

      <h3 id={`${id}-who`}>{t("workshops.registration.whoComes")}</h3>
      {going.length === 0 ? (
        <p className="muted">{t("workshops.registration.nobodyYet")}</p>
      ) : (
        <ul className="registration-people" aria-labelledby={`${id}-who`}>
          {going.map((person) => (
            <li key={person.id}>
              <Avatar name={person.name} /> {person.name}
            </li>
          ))}
        </ul>
      )}
      {maybe.length > 0 ? (
        <>
          <h3 id={`${id}-maybe`}>{t("workshops.registration.maybeComing")}</h3>
          <ul className="registration-people" aria-labelledby={`${id}-maybe`}>
            {maybe.map((person) => (
              <li key={person.id}>
                <Avatar name={person.name} /> {person.name}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {/* "Not answered yet" only while there is still time to answer. */}
      {mine === null && !view.open ? null : (
      <p className="registration-mine">
        {mine === null
          ? t("workshops.registration.mine.none")
          : mine.status === "waiting"
            ? t("workshops.registration.mine.waiting", { position: mine.position ?? 0 })
            : t(`workshops.registration.mine.${mine.status}`)}
      </p>
      )}

      {!view.open && view.closedBecause !== null ? (
        <p className="registration-closed">{t(`workshops.registration.closed.${view.closedBecause}`)}</p>
      ) : !canRegister ? (
        <p className="muted">{t("workshops.registration.cannot")}</p>
      ) : (
        <Form method="post" action={action} className="registration-form">
          <fieldset>
            <legend>{t("workshops.registration.answer")}</legend>
            {full ? (
              <p id={`${id}-full`} className="field-hint">
                {t("workshops.registration.full")}
              </p>
            ) : null}
            <div className="field">
              <label htmlFor={`${id}-note`}>{t("workshops.registration.note")}</label>
              <textarea id={`${id}-note`} name="note" rows={2} maxLength={NOTE_MAX} defaultValue={mine?.note ?? ""} aria-describedby={`${id}-note-hint`} />
              <p id={`${id}-note-hint`} className="field-hint">
                {t("workshops.registration.noteHelp", { max: NOTE_MAX })}
              </p>
            </div>
            <div className="registration-choices" role="group" aria-label={t("workshops.registration.answer")}>
              {CHOICES.map((choice) => (
                <button
                  key={choice}
                  type="submit"
                  name="status"
                  value={choice}
                  // Waiting is pressed "going" without a seat: said in its own words and colour, not as a seat.
                  className={`btn${pressed(choice) ? (choice === "going" && mine?.status === "waiting" ? " btn-waiting" : " btn-primary") : ""}`}
                  aria-pressed={pressed(choice)}
                  aria-describedby={choice === "going" && full ? `${id}-full` : undefined}
                >
                  {choice === "going" && mine?.status === "waiting"
                    ? t("workshops.registration.choice.waiting")
                    : choice === "going" && full
                      ? t("workshops.registration.choice.waitlist")
                      : t(`workshops.registration.choice.${choice}`)}
                </button>
              ))}
            </div>
          </fieldset>
        </Form>
      )}
    </section>
  );
}
