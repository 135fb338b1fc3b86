import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tarEnd, tarHeader, tarPadding } from "@/lib/domain/tar";

describe("tar writer", () => {
  it("writes an archive that tar itself lists and extracts byte for byte", () => {
    const files = [
      { name: "train.jsonl", body: Buffer.from('{"prompt":"你好","chosen":"😀"}\n', "utf8") },
      { name: "manifest.json", body: Buffer.from("{}\n") },
      { name: "empty.txt", body: Buffer.alloc(0) },
    ];
    const parts: Buffer[] = [];
    for (const f of files) parts.push(tarHeader(f.name, f.body.length, 1_700_000_000), f.body, tarPadding(f.body.length));
    parts.push(tarEnd());
    const dir = mkdtempSync(path.join(os.tmpdir(), "tar-test-"));
    const archive = path.join(dir, "bundle.tar");
    writeFileSync(archive, Buffer.concat(parts));
    expect(execFileSync("tar", ["-tf", archive], { encoding: "utf8" }).trim().split("\n")).toEqual(files.map((f) => f.name));
    execFileSync("tar", ["-xf", archive, "-C", dir]);
    for (const f of files) expect(readFileSync(path.join(dir, f.name))).toEqual(f.body);
  });

  it("is deterministic and refuses names tar cannot hold", () => {
    expect(tarHeader("a.txt", 3, 0)).toEqual(tarHeader("a.txt", 3, 0));
    expect(() => tarHeader("x".repeat(101), 1, 0)).toThrow();
    expect(() => tarHeader("数据.jsonl", 1, 0)).toThrow();
  });
});
