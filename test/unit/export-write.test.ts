// The export lands whole or not at all, and never over other content unless forced.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareDir, TargetError, writeDir } from "../../tools/export/write-dir";

let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "export-write-"))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const files = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const tree = (dir: string): Record<string, string> =>
  Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((e) => e.isFile())
      .map((e) => {
        const full = path.join(e.parentPath, e.name);
        return [path.relative(dir, full).split(path.sep).join("/"), fs.readFileSync(full, "utf8")];
      }),
  );

test("creates the directory, then finds it up to date", () => {
  const dir = path.join(root, "nested", "qoder");
  const want = files({ "agents/a.md": "A", ".qoder-ids.yaml": "ids" });
  expect(writeDir(dir, want, { force: false })).toBe("created");
  expect(tree(dir)).toEqual({ "agents/a.md": "A", ".qoder-ids.yaml": "ids" });
  expect(writeDir(dir, want, { force: false })).toBe("unchanged");
  expect(fs.readdirSync(path.dirname(dir))).toEqual(["qoder"]); // no temporary folder left behind
});

test("an empty directory is used; one with other content is refused untouched unless forced", () => {
  const dir = path.join(root, "qoder");
  fs.mkdirSync(path.join(dir, "empty"), { recursive: true });
  expect(writeDir(dir, files({ "a.yaml": "1" }), { force: false })).toBe("created");

  fs.writeFileSync(path.join(dir, "mine.txt"), "keep me");
  expect(() => writeDir(dir, files({ "a.yaml": "2" }), { force: false })).toThrow(TargetError);
  expect(() => writeDir(dir, files({ "a.yaml": "2" }), { force: false })).toThrow(/1 changed: a\.yaml; 1 not in the export: mine\.txt.*nothing was written.*--force/);
  expect(tree(dir)).toEqual({ "a.yaml": "1", "mine.txt": "keep me" });
  expect(fs.readdirSync(root)).toEqual(["qoder"]);

  expect(writeDir(dir, files({ "a.yaml": "2" }), { force: true })).toBe("replaced");
  expect(tree(dir)).toEqual({ "a.yaml": "2" });
  expect(fs.readdirSync(root)).toEqual(["qoder"]);
});

test("a file where the directory should be is refused", () => {
  const dir = path.join(root, "qoder");
  fs.writeFileSync(dir, "x");
  expect(() => compareDir(dir, files({}))).toThrow(/exists and is not a directory/);
});
