import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isIgnored, parseIgnore } from "../../provider/skill-ignore";
import { SkillSourceError, zipDirectory } from "../../provider/skill-zip";
import { makeSkillDir, skillMarkdown } from "../../testkit/skill-dir";

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

describe("what a skill upload leaves out", () => {
  const SECRETS: Record<string, string> = {
    ".env": "API_KEY=sk-live\n",
    ".env.production": "API_KEY=sk-prod\n",
    ".npmrc": "//registry.npmjs.org/:_authToken=npm_x\n",
    "config/.pypirc": "[pypi]\npassword=x\n",
    ".ssh/id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\n",
    "certs/server.pem": "-----BEGIN PRIVATE KEY-----\n",
    ".DS_Store": "x",
  };

  test("common secret files are left out by default, at any depth", () => {
    const a = tree({ ...FILES, ...SECRETS });
    const z = zipDirectory(a);
    expect(z.files).toEqual(["SKILL.md", "a.txt", "scripts/run.sh", "templates/nested/deep.txt", "templates/review.md"]);
    expect(z.sha256).toBe(zipDirectory(tree(FILES)).sha256);
    expect(z.zip.includes("sk-live")).toBe(false);
  });

  test(".gitignore files in the skill directory are honoured, each below its own directory", () => {
    const a = tree({
      ...FILES,
      ".gitignore": "# build output\n*.log\n/dist/\n",
      "debug.log": "x",
      "dist/bundle.js": "x",
      "templates/dist/kept.txt": "anchored /dist/ is the top level only",
      "templates/.gitignore": "nested/\n!keep.log\n",
      "templates/keep.log": "re-included below templates/",
    });
    expect(zipDirectory(a).files).toEqual([".gitignore", "SKILL.md", "a.txt", "scripts/run.sh", "templates/.gitignore", "templates/dist/kept.txt", "templates/keep.log", "templates/review.md"]);
  });

  test(".qoderignore has the last word: it can leave more out or take a default back in; it is not uploaded", () => {
    const a = tree({ ...FILES, ".env.example": "API_KEY=\n", ".env": "API_KEY=sk-live\n", ".qoderignore": "!.env.example\nscripts/**\n**/deep.txt\n" });
    expect(zipDirectory(a).files).toEqual([".env.example", "SKILL.md", "a.txt", "templates/review.md"]);
  });

  test("the zip size is known from file sizes: an oversize directory is refused before any file is read", () => {
    const a = tree(FILES);
    const exact = zipDirectory(a).size;
    expect(() => zipDirectory(a, { bytes: exact, reason: "r" })).not.toThrow();
    expect(() => zipDirectory(a, { bytes: exact - 1, reason: "r" })).toThrow(/over/);
    fs.writeFileSync(path.join(a, "huge.bin"), "");
    fs.truncateSync(path.join(a, "huge.bin"), 600 * 1024 * 1024); // sparse: nothing allocated
    const external = process.memoryUsage().arrayBuffers;
    expect(() => zipDirectory(a, { bytes: 3 * 1024 * 1024, reason: "test limit" })).toThrow(/zipped skill is 600\.0\d MB; over 3\.00 MB test limit/);
    expect(process.memoryUsage().arrayBuffers - external).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("gitignore patterns", () => {
  test.each<[string, string, boolean, boolean]>([
    ["*.log", "a/b/c.log", false, true],
    ["*.log", "c.logx", false, false],
    ["/top.txt", "top.txt", false, true],
    ["/top.txt", "sub/top.txt", false, false],
    ["doc/*.md", "doc/a.md", false, true],
    ["doc/*.md", "doc/x/a.md", false, false],
    ["doc/**/*.md", "doc/x/y/a.md", false, true],
    ["doc/**/*.md", "doc/a.md", false, true],
    ["**/cache", "a/b/cache", true, true],
    ["build/", "build", false, false],
    ["build/", "x/build", true, true],
    ["a/**", "a/b/c", false, true],
    ["file?.txt", "file1.txt", false, true],
    ["file[0-9].txt", "filex.txt", false, false],
    ["file[!0-9].txt", "filex.txt", false, true],
    ["\\#hash", "#hash", false, true],
    ["# comment", "# comment", false, false],
    ["a.b", "aXb", false, false],
  ])("%s on %s (dir: %s) → ignored: %s", (pattern, rel, isDir, expected) => {
    expect(isIgnored(parseIgnore(pattern), rel, isDir)).toBe(expected);
  });

  test("the last match wins; a rule only applies below its directory", () => {
    const rules = [...parseIgnore("*.txt\n!keep.txt"), ...parseIgnore("keep.txt", "sub")];
    expect(isIgnored(rules, "a.txt", false)).toBe(true);
    expect(isIgnored(rules, "keep.txt", false)).toBe(false);
    expect(isIgnored(rules, "sub/keep.txt", false)).toBe(true);
    expect(isIgnored(rules, "other/keep.txt", false)).toBe(false);
  });
});
