import { DiffView } from "#app/components/diff-view.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import type { DiffSegment } from "#app/wiki/diff.ts";

/** The version that was saved while the writer was editing, as the action sends it back with a 409. */
export interface TheirVersion {
  revision: number;
  title: string;
  html: string;
  editor: string;
  at: number;
}

/** Each of the blog and the wiki words the conflict in its own catalogue section. */
export interface EditConflictKeys {
  title: MessageKey;
  intro: MessageKey;
  theirVersion: MessageKey;
  differences: MessageKey;
}

/**
 * A refused stale save: their version beside what changed between it and the
 * writer's. The writer's own version stays in the form below, to merge by hand.
 */
export function EditConflict({ keys, theirs, diff }: { keys: EditConflictKeys; theirs: TheirVersion; diff: DiffSegment[] }) {
  const t = useT();
  const formatDate = useFormatDate();
  return (
    <section className="card notice-warning conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t(keys.title)}</h2>
      <p>{t(keys.intro, { name: theirs.editor, n: theirs.revision, date: formatDate(theirs.at) })}</p>
      <div className="conflict-grid">
        <div>
          <h3>{t(keys.theirVersion, { n: theirs.revision })}</h3>
          <div className="card inset">
            <h4>{theirs.title}</h4>
            <RichTextView html={theirs.html} />
          </div>
        </div>
        <div>
          <h3>{t(keys.differences)}</h3>
          <div className="card inset">
            <DiffView segments={diff} />
          </div>
        </div>
      </div>
    </section>
  );
}
