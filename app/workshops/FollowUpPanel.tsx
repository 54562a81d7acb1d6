import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import { useT } from "#app/i18n/react.tsx";

/**
 * After the workshop, on its page: how many came once that is recorded,
 * whether the notes are written (the link to them is among the workshop's
 * facts, for those who may read the wiki), and for its facilitators and the
 * space's admins, once it has started, "record attendance" and "write up the
 * notes".
 */
export function FollowUpPanel({
  started,
  notes,
  attended,
  canRecordAttendance,
  canWriteNotes,
  attendanceUrl,
  notesAction,
}: {
  started: boolean;
  notes: { title: string; href: string } | null;
  attended: number | null;
  canRecordAttendance: boolean;
  canWriteNotes: boolean;
  attendanceUrl: string;
  notesAction: string;
}) {
  const t = useT();
  const id = useId();
  if (!started || (attended === null && !canRecordAttendance && !canWriteNotes)) return null;
  return (
    <section className="card stack-sm follow-up" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("workshops.followUp.title")}</h2>
      {notes ? null : <p className="muted">{t("workshops.notes.none")}</p>}
      {attended !== null ? <p>{t("workshops.attendance.count", { count: attended })}</p> : null}
      {canRecordAttendance || (canWriteNotes && !notes) ? (
        <div className="row-actions">
          {canRecordAttendance ? (
            <Link to={attendanceUrl} className="btn btn-small">
              {t(attended === null ? "workshops.attendance.record" : "workshops.attendance.correct")}
            </Link>
          ) : null}
          {canWriteNotes && !notes ? (
            <Form method="post" action={notesAction} className="inline-form">
              <button type="submit" className="btn btn-primary btn-small">
                {t("workshops.notes.write")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
