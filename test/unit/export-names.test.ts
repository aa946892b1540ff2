// File names for exported objects: safe, unique where case folds, stable across runs and filters.
import { NAME } from "../../provider/fleet/files";
import { fileKeys, safeKey } from "../../tools/export/names";

const obj = (id: string, name: string, createdAt = `2026-01-01T00:00:${id.slice(-2)}Z`) => ({ id: `agent_${id.padStart(32, "0")}`, name, createdAt });

test("safeKey keeps what the Fleet allows and replaces the rest", () => {
  expect(safeKey("code-reviewer", "x")).toBe("code-reviewer");
  expect(safeKey("Code Reviewer (v2)", "x")).toBe("Code-Reviewer-v2");
  expect(safeKey("Prüfer", "x")).toBe("Prufer");
  expect(safeKey("审查员", "agent-1234abcd")).toBe("agent-1234abcd");
  expect(safeKey("../../etc/passwd", "x")).toBe("etc-passwd");
  expect(safeKey(".hidden", "x")).toBe("hidden");
  expect(safeKey("a".repeat(200), "x")).toHaveLength(64);
  for (const n of ["a b", "🙂 bot", "x/y\\z", "trailing.", "-lead"]) expect(safeKey(n, "fallback")).toMatch(NAME);
});

test("one name, or names equal but for case, keep every object: the oldest gets the plain key", () => {
  const { keys, clashes } = fileKeys([obj("03", "Reviewer"), obj("01", "reviewer"), obj("02", "reviewer"), obj("04", "writer")], "agent");
  expect([...keys.values()]).toEqual(["reviewer", "reviewer-00000002", "Reviewer-00000003", "writer"]);
  expect(clashes).toHaveLength(1);
  expect(clashes[0].kind).toBe("duplicate");
  expect(fileKeys([obj("01", "Reviewer"), obj("02", "reviewer")], "agent").clashes[0].kind).toBe("case");
  expect(fileKeys([obj("01", "a b"), obj("02", "a-b")], "agent").clashes[0].kind).toBe("file");
});

test("keys do not depend on listing order or on unrelated objects", () => {
  const all = [obj("01", "reviewer"), obj("02", "reviewer"), obj("03", "writer")];
  const keysOf = (list: typeof all) => Object.fromEntries(fileKeys(list, "agent").keys);
  expect(keysOf([...all].reverse())).toEqual(keysOf(all));
  const fewer = keysOf(all.filter((o) => o.name !== "writer"));
  expect(fewer).toEqual(Object.fromEntries(Object.entries(keysOf(all)).filter(([id]) => id in fewer)));
});

test("a suffixed key never takes another object's plain key", () => {
  const keys = [...fileKeys([obj("01", "a"), obj("02", "a"), obj("03", "a-00000002")], "agent").keys.values()];
  expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(3);
});
