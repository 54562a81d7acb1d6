import { parentPort } from "node:worker_threads";
import { markdownToJson } from "#app/wiki/markdown.server.ts";
import { processCommentContent, processContent } from "./content.server.ts";

/**
 * The worker thread behind app/editor/content-pool.server.ts: converts
 * Markdown and checks rich text, the work whose cost grows faster than its
 * input (a line of links or emphasis markers in Markdown, tens of thousands
 * of nodes in a save), so that it never holds the thread that answers
 * requests. One job at a time; the pool stops the thread if a job overruns.
 * Built on its own by `npm run build` (build/server/content-worker.js).
 */

export type ContentTask =
  | { kind: "content"; input: string }
  | { kind: "comment"; input: string }
  | { kind: "markdown"; input: string };

export type TaskReply = { ready: true } | { id: number; value: unknown } | { id: number; failure: string };

function run(task: ContentTask): unknown {
  switch (task.kind) {
    case "content":
      return processContent(task.input);
    case "comment":
      return processCommentContent(task.input);
    case "markdown":
      return markdownToJson(task.input);
  }
}

parentPort?.on("message", ({ id, task }: { id: number; task: ContentTask }) => {
  let reply: TaskReply;
  try {
    reply = { id, value: run(task) };
  } catch (error) {
    // Lexical throws on input it cannot convert: the caller answers "malformed".
    reply = { id, failure: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200) };
  }
  parentPort!.postMessage(reply);
});

// Loading Lexical, happy-dom and the sanitizer takes a second or two: the
// pool starts a job's clock only once this has arrived.
parentPort?.postMessage({ ready: true } satisfies TaskReply);
