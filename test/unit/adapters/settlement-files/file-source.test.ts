import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFileSource } from "../../../../app/adapters/settlement-files/file-source";

let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-source-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("openFileSource", () => {
  it("reads ranges of the file, and the whole file, even after it was deleted (the upload sweep)", async () => {
    const path = join(dir, "a.bin");
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    await writeFile(path, bytes);
    const file = await openFileSource(path);
    await rm(path);
    expect(file.sizeBytes).toBe(200_000);
    expect(await buffer(file.stream({ start: 199_990, end: 200_000 }))).toEqual(bytes.subarray(199_990));
    expect(await buffer(file.stream({ start: 70_000, end: 140_001 }))).toEqual(bytes.subarray(70_000, 140_001));
    expect(await buffer(file.stream({ start: 5, end: 5 }))).toEqual(Buffer.alloc(0));
    expect(await buffer(file.stream())).toEqual(bytes);
    await file.close();
    await file.close();
    expect(() => file.stream()).toThrow("closed");
  });
});
