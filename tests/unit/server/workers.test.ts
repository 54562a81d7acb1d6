import { describe, expect, test } from "vitest";
import { defaultWorkers } from "#server/workers.ts";

const MB = 1024 * 1024;
const GB = 1024 * MB;

describe("defaultWorkers", () => {
  test.each([
    // cores, available, limit → workers
    [2, 24 * GB, 0, 2], // plenty of memory: one per core
    [8, 24 * GB, 0, 8],
    [2, 1 * GB, 0, 1], // a quarter of 1 GB holds one worker of 150 MB
    [4, 2 * GB, 0, 3], // a quarter of 2 GB holds three
    [2, 300 * MB, 0, 1], // never none
    [8, 24 * GB, 512 * MB, 1], // a container limited to 512 MB
    [2, 24 * GB, 2 ** 62, 2], // "no limit" as a huge number
  ])("%i cores, %i bytes available, limit %i → %i", (cores, availableBytes, limitBytes, expected) => {
    expect(defaultWorkers({ cores, availableBytes, limitBytes })).toBe(expected);
  });
});
