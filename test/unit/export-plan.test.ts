// An account as Fleet files, against an in-process emulator: what is written, what is reported,
// that the Fleet reads it back, and that two exports of one account are byte-identical.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { createZip } from "../../emulator/zip";
import { loadFleet } from "../../provider/fleet/spec";
import { QoderClient } from "../../sdk";
import { readAccount } from "../../tools/export/account";
import { planExport, type ExportOptions } from "../../tools/export/export";
import { IDS_FILE, KINDS } from "../../tools/export/layout";
import { writeDir } from "../../tools/export/write-dir";

let emu: RunningEmulator;
let api: QoderClient;
const all: ExportOptions = { kinds: new Set(KINDS), keep: () => true, includeArchived: false };
const exportNow = async (o: ExportOptions = all) => planExport(await readAccount(api, o), o);
const text = (files: Map<string, Buffer>, f: string) => files.get(f)?.toString("utf8");
const ids: Record<string, string> = {};

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  const zip = createZip({ "lint/SKILL.md": "---\nname: lint\ndescription: Lints\n---\nRun it.\n", "lint/scripts/deep/run.sh": "#!/bin/sh\n" });
  ids.skill = (await api.skills.create({ file: zip, filename: "lint.zip" })).id;
  ids.tagged = (await api.skills.create({ file: createZip({ "SKILL.md": "---\nname: tagged\n---\n" }), metadata: { owner: "ops" } })).id;
  ids.agent = (
    await api.agents.create({
      name: "Code Reviewer",
      model: "ultimate",
      system: "Review.\n\n---\nNot frontmatter.",
      tools: [{ type: "mcp_toolset", mcp_server_name: "gh" }],
      mcp_servers: [{ type: "url", name: "gh", url: "https://gh.example.com/mcp" }],
      skills: [{ type: "custom", skill_id: ids.skill, version: "1" }],
    })
  ).id;
  await api.agents.create({ name: "trailing", model: "auto", system: "text\n" });
  await api.vaults.create({
    display_name: "tools",
    credentials: [
      { mcp_server_url: "https://gh.example.com/mcp", protocol: "sse", type: "static_bearer", access_token: "ghp_never_exported" },
      { mcp_server_url: "https://a.example.com/mcp", protocol: "streamable_http", type: "static_bearer", access_token: "other" },
    ],
  });
  const store = await api.memoryStores.create({ name: "notes", description: "Team notes" });
  await api.memoryStores.memories.create(store.id, { path: "a/b/c.md", content: "  deep\n\n" });
  await api.memoryStores.memories.create(store.id, { path: "a/.draft.md", content: "hidden" });
});
afterAll(() => emu.close());

test("agents: frontmatter in API keys, the prompt as body, skills by folder name", async () => {
  const plan = await exportNow();
  expect(text(plan.files, "agents/Code-Reviewer.md")).toBe(
    [
      "---",
      "name: Code Reviewer",
      "model: ultimate",
      "tools:",
      "  - type: mcp_toolset",
      "    mcp_server_name: gh",
      "mcp_servers:",
      "  - name: gh",
      "    url: https://gh.example.com/mcp",
      "skills:",
      "  - name: lint",
      "    version: 1",
      "---",
      "",
      "Review.",
      "",
      "---",
      "Not frontmatter.",
      "",
    ].join("\n"),
  );
  expect(plan.cannot).toContainEqual({ subject: expect.stringContaining('agent "trailing"'), detail: expect.stringMatching(/ends with whitespace/) });
  expect(plan.files.has("agents/trailing.md")).toBe(false);
});

test("skills: the zip's files below the folder holding SKILL.md; metadata is not expressible", async () => {
  const plan = await exportNow();
  expect([...plan.files.keys()].filter((f) => f.startsWith("skills/"))).toEqual(["skills/lint/SKILL.md", "skills/lint/scripts/deep/run.sh"]);
  expect(text(plan.files, "skills/lint/scripts/deep/run.sh")).toBe("#!/bin/sh\n");
  expect(plan.cannot).toContainEqual({ subject: `skill "tagged" (${ids.tagged})`, detail: expect.stringMatching(/^metadata:/) });
});

test("vaults: token references and the config keys to set, never a token", async () => {
  const plan = await exportNow();
  expect(parse(text(plan.files, "vaults/tools.yaml")!)).toEqual({
    credentials: [
      { mcp_server_url: "https://a.example.com/mcp", token: { secret: "tools-a-example-com-token" } },
      { mcp_server_url: "https://gh.example.com/mcp", protocol: "sse", token: { secret: "tools-gh-example-com-token" } },
    ],
  });
  expect(plan.secrets.map((s) => s.key)).toEqual(["tools-a-example-com-token", "tools-gh-example-com-token"]);
  for (const data of plan.files.values()) expect(data.toString("utf8")).not.toMatch(/ghp_never_exported|other/);
});

test("memories: exact content at their path; hidden paths are reported", async () => {
  const plan = await exportNow();
  expect(text(plan.files, "memory-stores/notes/memories/a/b/c.md")).toBe("  deep\n\n");
  expect(plan.cannot).toContainEqual({ subject: expect.stringContaining('"notes/a/.draft.md"'), detail: expect.stringMatching(/hidden/) });
});

test("the ids file names every written object; the Fleet reads the export back", async () => {
  const plan = await exportNow();
  const recorded = parse(text(plan.files, IDS_FILE)!) as Record<string, string>;
  expect(recorded["agents/Code-Reviewer.md"]).toBe(ids.agent);
  expect(recorded["skills/lint"]).toBe(ids.skill);
  expect(Object.keys(recorded).sort()).toEqual([...plan.ids.keys()].sort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-plan-"));
  try {
    writeDir(path.join(dir, "qoder"), plan.files, { force: false });
    const spec = loadFleet(path.join(dir, "qoder"));
    expect(spec.agents["Code-Reviewer"].skills).toEqual([{ name: "lint", version: "1" }]);
    expect(spec.agents["Code-Reviewer"].args.system).toBe("Review.\n\n---\nNot frontmatter.");
    expect(spec.memoryStores.notes.memories).toEqual([expect.objectContaining({ path: "a/b/c.md", content: "  deep\n\n" })]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("two exports of an unchanged account are byte-identical; filters never rename files", async () => {
  const [a, b] = [await exportNow(), await exportNow()];
  expect([...b.files.keys()]).toEqual([...a.files.keys()]);
  for (const [f, data] of a.files) expect(b.files.get(f)!.equals(data)).toBe(true);
  const agentsOnly = await exportNow({ ...all, kinds: new Set(["agents"]), keep: (n) => n.startsWith("Code") });
  expect([...agentsOnly.files.keys()]).toEqual(["agents/Code-Reviewer.md", IDS_FILE]);
  expect(agentsOnly.files.get("agents/Code-Reviewer.md")!.equals(a.files.get("agents/Code-Reviewer.md")!)).toBe(true);
  expect(agentsOnly.notes).toContainEqual({ subject: expect.stringContaining("Code Reviewer"), detail: expect.stringMatching(/skills\[0\]: names skills\/lint\/, which this export did not write/) });
});
