import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SkillSourceError, zipDirectory } from "../../provider/skill-zip";
import { makeSkillDir, skillMarkdown } from "../e2e/harness/skill-dir";

const FILES: Record<string, string> = {
  "SKILL.md": skillMarkdown("zipper", "Zips things"),
  "templates/review.md": "# Review\n",
  "scripts/run.sh": "#!/bin/sh\necho hi\n",
  "a.txt": "first\n",
  "templates/nested/deep.txt": "deep\n",
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const d = makeSkillDir(files);
  dirs.push(d);
  return d;
}

function python(...args: string[]): string {
  return execFileSync("python3", ["-m", "zipfile", ...args], { encoding: "utf8" });
}

test("the same tree written in another order, with other mtimes, zips to identical bytes", () => {
  const a = tree(FILES);
  const reversed = Object.fromEntries(Object.entries(FILES).reverse());
  const b = tree(reversed);
  const old = new Date("2001-02-03T04:05:06Z");
  for (const rel of Object.keys(FILES)) fs.utimesSync(path.join(b, rel), old, old);
  fs.chmodSync(path.join(b, "scripts/run.sh"), 0o755);

  const za = zipDirectory(a);
  const zb = zipDirectory(b);
  expect(zb.zip.equals(za.zip)).toBe(true);
  expect(zb.sha256).toBe(za.sha256);
  expect(za.size).toBe(za.zip.length);
  expect(za.files).toEqual(["SKILL.md", "a.txt", "scripts/run.sh", "templates/nested/deep.txt", "templates/review.md"]);
});

test("a content change changes the hash; VCS and dependency folders are not packed", () => {
  const a = tree(FILES);
  const before = zipDirectory(a);
  fs.mkdirSync(path.join(a, ".git"));
  fs.writeFileSync(path.join(a, ".git", "HEAD"), "ref: x\n");
  fs.mkdirSync(path.join(a, "node_modules", "dep"), { recursive: true });
  fs.writeFileSync(path.join(a, "node_modules", "dep", "index.js"), "");
  expect(zipDirectory(a).sha256).toBe(before.sha256);
  fs.appendFileSync(path.join(a, "a.txt"), "more\n");
  expect(zipDirectory(a).sha256).not.toBe(before.sha256);
});

test("the archive is a valid zip with SKILL.md at its root and the files intact", () => {
  const a = tree(FILES);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-zip-check-"));
  dirs.push(work);
  const file = path.join(work, "skill.zip");
  fs.writeFileSync(file, zipDirectory(a).zip);

  const listing = python("-l", file);
  const names = listing.split("\n").slice(1).map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
  expect(names).toEqual(["SKILL.md", "a.txt", "scripts/run.sh", "templates/nested/deep.txt", "templates/review.md"]);
  expect(python("-t", file)).toMatch(/Done testing/);
  python("-e", file, path.join(work, "out"));
  for (const [rel, content] of Object.entries(FILES)) expect(fs.readFileSync(path.join(work, "out", rel), "utf8")).toBe(content);
});

test("a missing directory or SKILL.md fails with an error about `source`", () => {
  const missing = path.join(os.tmpdir(), "qoder-no-such-skill-dir");
  expect(() => zipDirectory(missing)).toThrow(SkillSourceError);
  expect(() => zipDirectory(missing)).toThrow(/does not exist/);
  const nested = tree({ "inner/SKILL.md": skillMarkdown("x", "y") });
  const err = (() => {
    try {
      zipDirectory(nested);
    } catch (e) {
      return e as SkillSourceError;
    }
  })();
  expect(err).toBeInstanceOf(SkillSourceError);
  expect(err!.path).toBe("source");
  expect(err!.message).toMatch(/no SKILL\.md at its top level/);
});
