// Bad inputs fail in `preview`, before any API call, with the resource, the property path and
// the rule in the error. Pulumi stops a preview at the first check failure, so each case gets
// its own preview (of one stack that never holds state).
import type { KindsArgs } from "./programs/kinds";
import { useKit } from "./harness/kit";

const kit = useKit("kinds");
const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));

const cases: Array<[string, KindsArgs, RegExp]> = [
  ["metadata with 17 keys", { agents: { bad: { name: "a", model: "ultimate", metadata: tooMany } } }, /property metadata .* has a problem: metadata: metadata holds at most 16 keys/],
  [
    "an mcp_toolset naming a missing server",
    { agents: { bad: { name: "b", model: "ultimate", tools: [{ type: "mcp_toolset", mcpServerName: "github" }] } } },
    /has a problem: tools\[0\]\.mcpServerName: names no server in mcpServers \("github"\)/,
  ],
  [
    "a URL where allowedHosts wants a bare host",
    { environments: { bad: { name: "e", config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com", "https://x.com"] } } } } },
    /has a problem: config\.networking\.allowedHosts\[1\]: must be a bare hostname/,
  ],
  ["an absolute memory path", { memories: { bad: { storeId: `memstore_${"0".repeat(32)}`, path: "/notes/a.md", content: "x" } } }, /has a problem: path: must be relative \(no leading "\/"\)/],
  ["a name over 256 characters", { agents: { bad: { name: "n".repeat(257), model: "ultimate" } } }, /has a problem: name: .*256/],
];

test.each(cases)("%s fails in preview, naming the property, with no API call", async (_what, args, message) => {
  const { emu, stack } = kit;
  stack.setArgs(args);
  await emu.resetStats();
  const r = await stack.run("preview");
  expect(r.ok).toBe(false);
  const lines = `${r.error}\n${r.stderr ?? ""}\n${r.log}`.split("\n").filter((l) => l.includes("resource 'bad'"));
  expect(lines.find((l) => message.test(l))).toEqual(expect.any(String));
  expect((await emu.stats()).total).toBe(0);
});
