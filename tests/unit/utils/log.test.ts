import { describe, expect, test } from "vitest";
import { logLine, logText } from "#app/utils/log.ts";

describe("logText", () => {
  test.each([
    ["Claire Martin", "Claire Martin"],
    ["Été à Zoë’s — 🚀", "Été à Zoë’s — 🚀"],
    ["a\r\nb", "a\\r\\nb"],
    ["a\nb", "a\\nb"],
    ["a\tb", "a\\tb"],
    ["a\u0000b", "a\\u0000b"],
    ["a\u001b[2Jb", "a\\u001b[2Jb"],
    ["a\u007fb", "a\\u007fb"],
    ["a\u0085b", "a\\u0085b"],
    ["a\u009bb", "a\\u009bb"],
    ["a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    // A backslash is doubled, so an escape in the log always means a character that was there.
    ["a\\nb", "a\\\\nb"],
  ])("%j is written %j", (input, expected) => {
    expect(logText(input)).toBe(expected);
  });

  test("what it writes holds no line break and no control character at all", () => {
    let all = "";
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    expect(logText(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  test("non-text values are written as text", () => {
    expect(logText(42)).toBe("42");
    expect(logText(null)).toBe("null");
  });
});

describe("logLine", () => {
  test("escapes every value put in it, and nothing of the template", () => {
    const subject = "Bienvenue\r\n   Link: https://evil.example/";
    expect(logLine`✉  Mail to ${"x@example.test"}: “${subject}”`).toBe("✉  Mail to x@example.test: “Bienvenue\\r\\n   Link: https://evil.example/”");
  });
});
