// The report helpers behind qoder-plan and qoder-drift: the line diff, masking, Markdown, and the
// plan a reviewer reads: a new agent in full, nested changes key by key, a skill's files, a
// rotated credential by URL, and the Fleet file of every row.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { leafChanges } from "../../tools/field-changes";
import { unifiedDiff } from "../../tools/line-diff";
import { mask } from "../../tools/mask";
import { planFromPreviewJson } from "../../tools/plan";
import { sha256 } from "../../tools/skill-files";
import { toJson, toMarkdown, type Report } from "../../tools/report";

test("unified diff: hunks with context, removals before additions", () => {
  const a = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"].join("\n");
  const b = a.replace("two", "TWO").replace("nine", "nine\nnine and a half");
  expect(unifiedDiff(a, b, { from: "a", to: "b" }, 1)).toBe(
    ["--- a", "+++ b", "@@ -1,3 +1,3 @@", " one", "-two", "+TWO", " three", "@@ -9,2 +9,3 @@", " nine", "+nine and a half", " ten"].join("\n"),
  );
  expect(unifiedDiff(a, a)).toBe("");
  // an empty text has no lines: a new file is all additions
  expect(unifiedDiff("", "new")).toBe("--- before\n+++ after\n@@ -0,0 +1,1 @@\n+new");
});

test("masking: secret envelopes, tokens and credential digests", () => {
  const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"x"' };
  expect(mask({ a: sig, creds: [{ mcpServerUrl: "u", token: "t", tokenDigest: "d", tokenSalt: "s" }], empty: { token: "" } })).toEqual({
    a: "[secret]",
    creds: [{ mcpServerUrl: "u", token: "[secret]", tokenDigest: "[secret]", tokenSalt: "[secret]" }],
    empty: { token: "" },
  });
});

test("markdown: a table row per field, long texts as diffs, JSON with desired/actual", () => {
  const report: Report = {
    kind: "drift",
    project: "p",
    stack: "s",
    changes: true,
    resources: [
      { urn: "urn:pulumi:s::p::pulumi-nodejs:dynamic/qoder:Agent::a", type: "pulumi-nodejs:dynamic/qoder:Agent", name: "a", id: "agent_1", op: "drift", fields: [
        { field: "description", before: "x|y", after: "z" },
        { field: "system", before: "line 1\nline 2", after: "line 1\nline two\n```js\n```" },
      ] },
      { urn: "urn:pulumi:s::p::pulumi-nodejs:dynamic/qoder:Memory::m", type: "pulumi-nodejs:dynamic/qoder:Memory", name: "m", op: "gone", fields: [] },
    ],
  };
  const md = toMarkdown(report);
  expect(md).toContain("**1 drifted, 1 deleted outside Pulumi**");
  expect(md).toContain('| ~ | `a` | Agent | description | `"x\\|y"` | `"z"` |');
  expect(md).toContain("| ~ | `a` | Agent | system | _(text: see diff)_ | _(text: see diff)_ |");
  expect(md).toContain("````diff\n--- a.system (desired)\n+++ a.system (actual)\n@@ -1,2 +1,4 @@\n line 1\n-line 2\n+line two\n+```js\n+```\n````");
  expect(md).toContain("| - | `m` | Memory | | | |");
  expect((toJson(report) as any).resources[0].fields[0]).toEqual({ field: "description", desired: "x|y", actual: "z" });
});

test("markdown: names and values from the repository cannot add rows, links, HTML or break out of code", () => {
  // A memory seed file named like this becomes a resource name (and URN) as it is.
  const evil = "notes/x\n| + | `injected` | Agent | system | a | b |\n<img src=x onerror=alert(1)>.md";
  const report: Report = {
    kind: "plan",
    project: "p`x",
    stack: "s\n# heading",
    changes: true,
    resources: [
      { urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/qoder:Memory::${evil}`, type: "pulumi-nodejs:dynamic/qoder:Memory", name: evil, op: "update", fields: [
        { field: "content", before: "one\n```\ntwo ````", after: "one\n~~~\n`````" },
        { field: "metadata", before: { k: "a|b`c" }, after: { k: "@someone <b>" } },
      ] },
    ],
  };
  const md = toMarkdown(report);
  const lines = md.split("\n");
  expect(lines[0]).toBe("### Qoder plan: stack `s\\n# heading` (project ``p`x``)");
  const name = "`notes/x\\n\\| + \\| `injected` \\| Agent \\| system \\| a \\| b \\|\\n<img src=x onerror=alert(1)>.md`";
  expect(lines.filter((l) => l.startsWith("|"))).toEqual([
    "| | Resource | Type | Field | Old | New |",
    "|---|---|---|---|---|---|",
    `| ~ | ${name.replace(/^`|`$/g, "``")} | Memory | content | _(text: see diff)_ | _(text: see diff)_ |`,
    `| ~ | ${name.replace(/^`|`$/g, "``")} | Memory | metadata | \`\`{"k":"a\\|b\`c"}\`\` | \`{"k":"@someone <b>"}\` |`,
  ]);
  // the diff block's fence is longer than any backtick run in the texts; the summary is HTML-escaped
  expect(md).toContain("<summary><code>notes/x\\n| + | `injected` | Agent | system | a | b |\\n&#60;img src=x onerror=alert(1)&#62;.md</code> · content</summary>\n\n``````diff\n");
  expect(md).toMatch(/\n``````\n<\/details>\n$/);
  expect(md).not.toMatch(/^# heading/m);
});

test("preview --json: steps become the plan; a failed preview is an error, never a partial plan", () => {
  const urn = (t: string, n: string) => `urn:pulumi:dev::proj::${t}::${n}`;
  const agent = "pulumi-nodejs:dynamic/qoder:Agent";
  const doc = {
    steps: [
      { op: "same", urn: urn("pulumi:pulumi:Stack", "proj-dev"), oldState: { type: "pulumi:pulumi:Stack" } },
      {
        op: "update",
        urn: urn(agent, "a"),
        oldState: { type: agent, id: "agent_1", inputs: { system: "old", token: "t", version: 1 } },
        newState: { type: agent, inputs: { system: "new", token: "[secret]", version: 1 } },
        diffReasons: ["system"],
        detailedDiff: { system: { kind: "update", inputDiff: true } },
      },
      { op: "same", urn: urn(agent, "b"), oldState: { type: agent }, newState: { type: agent } },
    ],
  };
  const report = planFromPreviewJson(JSON.stringify(doc), "preview.json");
  expect(report).toEqual({
    kind: "plan", project: "proj", stack: "dev", changes: true,
    resources: [{ urn: urn(agent, "a"), type: agent, name: "a", id: "agent_1", op: "update", fields: [{ field: "system", before: "old", after: "new" }] }],
  });
  const failed = { ...doc, diagnostics: [{ severity: "error", message: "\u001b[31merror: boom\u001b[0m\n" }] };
  expect(() => planFromPreviewJson(JSON.stringify(failed), "preview.json")).toThrow("the preview failed:\nerror: boom");
  expect(() => planFromPreviewJson("not json", "preview.json")).toThrow(/preview.json: not JSON/);
  expect(() => planFromPreviewJson("{}", "stdin")).toThrow(/stdin: no "steps" array/);
});

const AGENT = "pulumi-nodejs:dynamic/qoder:Agent";
const fleetUrn = (type: string, name: string) => `urn:pulumi:dev::proj::qoder:index:Fleet$${type}::${name}`;
const stackStep = { op: "same", urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", oldState: { type: "pulumi:pulumi:Stack" } };
const planOf = (steps: object[], cwd = ".") => planFromPreviewJson(JSON.stringify({ steps: [stackStep, ...steps] }), "preview.json", cwd);

test("nested values: split into the keys that differ, never cut", () => {
  const long = "x".repeat(150);
  expect(leafChanges({ field: "config", before: { networking: { type: "limited", allowPackageManagers: true }, packages: { npm: ["a"] } }, after: { networking: { type: "allowed_hosts", allowedHosts: ["h"] }, packages: { npm: ["a", long] } } })).toEqual([
    { field: "config.networking.allowedHosts", before: undefined, after: ["h"] },
    { field: "config.networking.allowPackageManagers", before: true, after: undefined },
    { field: "config.networking.type", before: "limited", after: "allowed_hosts" },
    { field: "config.packages.npm", before: ["a"], after: ["a", long] },
  ]);
  expect(leafChanges({ field: "tools", before: [{ type: "t", enabledTools: ["Read"] }], after: [{ type: "t", enabledTools: ["Read", "Bash"] }, { type: "mcp_toolset", mcpServerName: "gh" }] })).toEqual([
    { field: "tools[0].enabledTools", before: ["Read"], after: ["Read", "Bash"] },
    { field: "tools[1].mcpServerName", before: undefined, after: "gh" },
    { field: "tools[1].type", before: undefined, after: "mcp_toolset" },
  ]);
  expect(leafChanges({ field: "metadata", before: { "a.b": "1" }, after: {} })).toEqual([{ field: 'metadata["a.b"]', before: "1", after: undefined }]);
});

test("a new agent: every field it is created with, the prompt in full (collapsed), its Fleet file", () => {
  const system = "You review pull requests.\n\nBe brief.";
  const report = planOf([
    { op: "create", urn: fleetUrn(AGENT, "agents-agent-reviewer"), newState: { type: AGENT, inputs: { __provider: "exports.handler = …", __createKey: "k", name: "reviewer", model: { id: "ultimate", effort: "high" }, system, skills: [], metadata: { team: "platform" }, deletionPolicy: "archive" } } },
    { op: "create", urn: fleetUrn("pulumi-nodejs:dynamic/qoder:Skill", "agents-skill-conventions"), newState: { type: "pulumi-nodejs:dynamic/qoder:Skill", inputs: { source: "qoder/skills/conventions", contentSha256: "ab12" } } },
  ]);
  const md = toMarkdown(report);
  const reviewer = "| + | `agents-agent-reviewer`<br>`qoder/agents/reviewer.md` | Agent |";
  expect(md.split("\n").filter((l) => l.startsWith(reviewer))).toEqual([
    `${reviewer} deletionPolicy | | \`"archive"\` |`,
    `${reviewer} metadata.team | | \`"platform"\` |`,
    `${reviewer} model.effort | | \`"high"\` |`,
    `${reviewer} model.id | | \`"ultimate"\` |`,
    `${reviewer} name | | \`"reviewer"\` |`,
    `${reviewer} system | | _(text: see below)_ |`,
  ]);
  expect(md).toContain("<details><summary><code>agents-agent-reviewer</code> · system (3 lines)</summary>\n\n```\nYou review pull requests.\n\nBe brief.\n```\n</details>");
  expect(report.resources.find((r) => r.name === "agents-skill-conventions")?.source).toBe("qoder/skills/conventions/");
});

test("a nested config change: one row per changed key, with the values whole", () => {
  const ENV = "pulumi-nodejs:dynamic/qoder:Environment";
  const hosts = Array.from({ length: 8 }, (_, i) => `mirror-${i}.registry.example.com`);
  const report = planOf([{
    op: "update",
    urn: fleetUrn(ENV, "agents-env-ci"),
    oldState: { type: ENV, id: "env_1", inputs: { name: "ci", sourceFile: "qoder/environments/ci.yml", config: { type: "cloud", networking: { type: "limited", allowPackageManagers: true }, packages: { npm: ["typescript"] } } } },
    newState: { type: ENV, inputs: { name: "ci", sourceFile: "qoder/environments/ci.yml", config: { type: "cloud", networking: { type: "allowed_hosts", allowedHosts: hosts }, packages: { npm: ["typescript", "eslint"] } } } },
    diffReasons: ["config"],
    detailedDiff: { config: { kind: "update", inputDiff: true } },
  }]);
  const md = toMarkdown(report);
  const row = "| ~ | `agents-env-ci`<br>`qoder/environments/ci.yml` | Environment |";
  expect(md.split("\n").filter((l) => l.startsWith("| ~"))).toEqual([
    `${row} config.networking.allowedHosts | _(none)_ | \`${JSON.stringify(hosts)}\` |`,
    `${row} config.networking.allowPackageManagers | \`true\` | _(none)_ |`,
    `${row} config.networking.type | \`"limited"\` | \`"allowed_hosts"\` |`,
    `${row} config.packages.npm | \`["typescript"]\` | \`["typescript","eslint"]\` |`,
  ]);
  expect(md).not.toContain("...");
});

test("a rotated vault credential: which one, by its MCP server URL, never the token", () => {
  const VAULT = "pulumi-nodejs:dynamic/qoder:Vault";
  const report = planOf([{
    op: "update",
    urn: fleetUrn(VAULT, "agents-vault-github"),
    oldState: { type: VAULT, id: "vault_1", inputs: { displayName: "GitHub", credentials: "[secret]", credentialRevisions: { "https://api.githubcopilot.com/mcp/": 1, "https://old.example.com/mcp": 1 } } },
    newState: { type: VAULT, inputs: { displayName: "GitHub", credentials: "[secret]", credentialRevisions: { "https://api.githubcopilot.com/mcp/": 2, "https://tickets.example.com/mcp": 1 } } },
    diffReasons: ["credentials"],
  }]);
  const md = toMarkdown(report);
  const row = "| ~ | `agents-vault-github`<br>`vaults/github.yaml` | Vault |";
  expect(md.split("\n").filter((l) => l.startsWith("| ~"))).toEqual([
    `${row} credential https://api.githubcopilot.com/mcp/ | | _token rotated (not shown)_ |`,
    `${row} credential https://old.example.com/mcp | | _removed_ |`,
    `${row} credential https://tickets.example.com/mcp | | _added (token not shown)_ |`,
  ]);
  expect(md).not.toContain("[secret]");
});

test("a skill change: files added, removed and changed, with diffs where git has the deployed text", () => {
  const SKILL = "pulumi-nodejs:dynamic/qoder:Skill";
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-plan-skill-"));
  try {
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@e", "-c", "user.name=t", ...args], { cwd: repo, stdio: "pipe" });
    const dir = path.join(repo, "qoder", "skills", "conventions");
    fs.mkdirSync(dir, { recursive: true });
    const write = (f: string, text: string | Buffer) => fs.writeFileSync(path.join(dir, f), text);
    const hash = (f: string) => sha256(fs.readFileSync(path.join(dir, f)));
    write("SKILL.md", "---\nname: conventions\n---\nUse tabs.\nKeep lines short.\n");
    write("old.md", "gone soon\n");
    write("logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "v1");
    const v1 = { "SKILL.md": hash("SKILL.md"), "old.md": hash("old.md"), "logo.png": hash("logo.png") };
    write("SKILL.md", "---\nname: conventions\n---\nUse spaces.\nKeep lines short.\n");
    write("logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9]));
    write("check.sh", "#!/bin/sh\nnpm test\n");
    fs.rmSync(path.join(dir, "old.md"));
    const v2 = { "SKILL.md": hash("SKILL.md"), "logo.png": hash("logo.png"), "check.sh": hash("check.sh") };
    const source = "qoder/skills/conventions";
    const report = planOf([{
      op: "update",
      urn: fleetUrn(SKILL, "agents-skill-conventions"),
      oldState: { type: SKILL, id: "skill_1", inputs: { source, contentSha256: "aaa", contentSize: 10, files: Object.keys(v1).sort(), fileHashes: v1 } },
      newState: { type: SKILL, inputs: { source, contentSha256: "bbb", contentSize: 12, files: Object.keys(v2).sort(), fileHashes: v2 } },
      diffReasons: ["contentSha256"],
    }], repo);
    const md = toMarkdown(report);
    const row = "| ~ | `agents-skill-conventions`<br>`qoder/skills/conventions/` | Skill |";
    expect(md.split("\n").filter((l) => l.startsWith("| ~"))).toEqual([
      `${row} contentSha256 | \`"aaa"\` | \`"bbb"\` |`,
      `${row} + file \`check.sh\` | | _added_ |`,
      `${row} ~ file \`logo.png\` | | _changed (binary or over 256 KiB)_ |`,
      `${row} - file \`old.md\` | | _removed_ |`,
      `${row} ~ file \`SKILL.md\` | | _changed_ |`,
    ]);
    expect(md).toContain("<details><summary><code>agents-skill-conventions</code> · SKILL.md (changed)</summary>\n\n```diff\n--- a/SKILL.md\n+++ b/SKILL.md\n@@ -1,6 +1,6 @@\n ---\n name: conventions\n ---\n-Use tabs.\n+Use spaces.\n Keep lines short.\n \n```\n</details>");
    expect(md).toContain("--- a/old.md\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-gone soon\n-\n");
    expect(md).toContain("--- /dev/null\n+++ b/check.sh\n@@ -0,0 +1,3 @@\n+#!/bin/sh\n+npm test\n+\n");

    // The deployed text is not in git (edited and never committed): the row says so, no guess.
    const uncommitted = { ...v1, "SKILL.md": sha256(Buffer.from("never committed")) };
    const blind = planOf([{
      op: "update",
      urn: fleetUrn(SKILL, "agents-skill-conventions"),
      oldState: { type: SKILL, id: "skill_1", inputs: { source, files: Object.keys(v1).sort(), fileHashes: uncommitted } },
      newState: { type: SKILL, inputs: { source, files: Object.keys(v2).sort(), fileHashes: v2 } },
      diffReasons: ["contentSha256"],
    }], repo);
    expect(blind.resources[0].files?.find((f) => f.path === "SKILL.md")).toEqual({ path: "SKILL.md", change: "changed", noDiff: "old text not in git history" });
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});
