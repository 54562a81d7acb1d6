import { CheckListPlugin } from "@lexical/react/LexicalCheckListPlugin";
import { HorizontalRulePlugin } from "@lexical/react/LexicalHorizontalRulePlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { MarkdownShortcutPlugin } from "@lexical/react/LexicalMarkdownShortcutPlugin";
import { TablePlugin } from "@lexical/react/LexicalTablePlugin";
import { useT } from "#app/i18n/react.tsx";
import { EditorFrame } from "./EditorFrame.tsx";
import { SHORTCUT_TRANSFORMERS } from "./markdown.ts";
import { EDITOR_NODES } from "./nodes/index.ts";
import { EmptyHeaderCellPlugin } from "./plugins/EmptyHeaderCellPlugin.tsx";
import { FormFieldPlugin } from "./plugins/FormFieldPlugin.tsx";
import { ImagePlugin } from "./plugins/ImagePlugin.tsx";
import { PageLinkPlugin } from "./plugins/PageLinkPlugin.tsx";
import { TabKeyPlugin } from "./plugins/TabKeyPlugin.tsx";
import type { EditorFiles } from "./files.ts";
import { ToolbarPlugin } from "./plugins/ToolbarPlugin.tsx";
import { isSafeLinkUrl } from "./url.ts";

// No RichTextView here: a page that only shows content imports it from
// RichTextView.tsx, and importing anything from this module pulls the whole
// editor (Lexical and its plugins) into that page's bundle.
export type { EditorFiles, PickedFile } from "./files.ts";
export { UploadRefused } from "./files.ts";

export type EditorProps = {
  /** Name of the hidden input holding the document as Lexical JSON. */
  name: string;
  /** The stored document (ContentResult.json), or null for a new one. Read once: remount (key) to load another. */
  initialJson: string | null;
  /** Space whose pages the "[[" picker searches (GET /spaces/<slug>/wiki/search?q=). */
  spaceSlug: string;
  /** Called when the document starts or stops differing from initialJson. */
  onDirtyChange?(dirty: boolean): void;
  /** Accessible name of the text area, e.g. "Page content". */
  ariaLabel: string;
  /** Optional: the space's files, for the image and file buttons (pick one, or upload a new one). */
  files?: EditorFiles;
  /** Optional: id of an element describing the field (an error message, say). */
  ariaDescribedBy?: string;
  /** Optional: marks the field invalid (after a refused save). */
  invalid?: boolean;
};

/**
 * The rich-text editor (Lexical 0.52), for the wiki and the blog. Renders on
 * the server too (the editable is empty until hydration, then loads
 * initialJson); posts its content through a hidden input named `name`.
 */
export function Editor({ name, initialJson, spaceSlug, onDirtyChange, ariaLabel, files, ariaDescribedBy, invalid }: EditorProps) {
  const t = useT();
  return (
    <EditorFrame
      namespace="cercle"
      nodes={EDITOR_NODES}
      initialJson={initialJson}
      className="editor"
      inputClassName="editor-input rich-text"
      toolbar={<ToolbarPlugin files={files} editorLabel={ariaLabel} />}
      ariaLabel={ariaLabel}
      ariaDescribedBy={ariaDescribedBy}
      invalid={invalid}
      placeholder={t("editor.placeholder")}
      hint={t("editor.hint")}
      keysHint={t("editor.hintKeys")}
    >
      <ListPlugin />
      <CheckListPlugin />
      <LinkPlugin validateUrl={isSafeLinkUrl} />
      <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} hasHorizontalScroll />
      <EmptyHeaderCellPlugin />
      <HorizontalRulePlugin />
      <ImagePlugin />
      <TabKeyPlugin />
      <MarkdownShortcutPlugin transformers={SHORTCUT_TRANSFORMERS} />
      <PageLinkPlugin spaceSlug={spaceSlug} />
      <FormFieldPlugin name={name} initialValue={initialJson ?? ""} onDirtyChange={onDirtyChange} />
    </EditorFrame>
  );
}
