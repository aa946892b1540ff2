// The report helpers behind qoder-plan and qoder-drift: the line diff, masking, Markdown.
import { unifiedDiff } from "../../tools/line-diff";
import { mask } from "../../tools/mask";
import { planFromPreviewJson } from "../../tools/plan";
import { toJson, toMarkdown, type Report } from "../../tools/report";

test("unified diff: hunks with context, removals before additions", () => {
  const a = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"].join("\n");
  const b = a.replace("two", "TWO").replace("nine", "nine\nnine and a half");
  expect(unifiedDiff(a, b, { from: "a", to: "b" }, 1)).toBe(
    ["--- a", "+++ b", "@@ -1,3 +1,3 @@", " one", "-two", "+TWO", " three", "@@ -9,2 +9,3 @@", " nine", "+nine and a half", " ten"].join("\n"),
  );
  expect(unifiedDiff(a, a)).toBe("");
  expect(unifiedDiff("", "new")).toBe("--- before\n+++ after\n@@ -1,1 +1,1 @@\n-\n+new");
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
