import { expect, test } from "vitest";
import { plainTextDoc } from "#app/editor/plain-text.ts";
import { tokenIn } from "#app/mail/reply-address.server.ts";

/** The pure parts of answering by mail: which addresses are ours, and plain text as a comment document. */

test("tokenIn reads the token of our reply addresses only, case-blind", () => {
  const ours = "reponses@cercle.test";
  expect(tokenIn("reponses+abc-def@cercle.test", ours)).toBe("abc-def");
  expect(tokenIn("  REPONSES+ABC-DEF@Cercle.Test ", ours)).toBe("abc-def");
  expect(tokenIn("reponses@cercle.test", ours)).toBeNull();
  expect(tokenIn("reponses+abc@other.test", ours)).toBeNull();
  expect(tokenIn("autre+abc@cercle.test", ours)).toBeNull();
  expect(tokenIn("reponsesx+abc@cercle.test", ours)).toBeNull();
  expect(tokenIn("not an address", ours)).toBeNull();
});

test("plainTextDoc: a paragraph per block, line breaks inside, markup kept as text", () => {
  const doc = JSON.parse(plainTextDoc("Bonjour Claire,\r\nmerci !\n\n\n<b>Julien</b>\n\n  \n")) as { root: { children: Array<{ type: string; children: Array<{ type: string; text?: string }> }> } };
  expect(doc.root.children.map((p) => p.type)).toEqual(["paragraph", "paragraph"]);
  expect(doc.root.children[0]!.children).toEqual([
    expect.objectContaining({ type: "text", text: "Bonjour Claire," }),
    { type: "linebreak", version: 1 },
    expect.objectContaining({ type: "text", text: "merci !" }),
  ]);
  expect(doc.root.children[1]!.children).toEqual([expect.objectContaining({ type: "text", text: "<b>Julien</b>" })]);
  expect(JSON.parse(plainTextDoc("  \n\n ")).root.children).toEqual([]);
});
