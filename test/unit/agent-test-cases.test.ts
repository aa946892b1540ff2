// qoder-test's case files: defaults and overrides, every problem named with file and field, and
// the expectation checks and report escaping that do not need a server.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CaseConfigError, DEFAULT_MAX_TURNS, loadCases } from "../../tools/agent-tests/cases";
import { unmet } from "../../tools/agent-tests/expect";
import { planCases } from "../../tools/agent-tests/plan";
import { toJUnit, toMarkdown, xmlText } from "../../tools/agent-tests/reports";
import type { CaseResult } from "../../tools/agent-tests/run-case";
import { parseFleetOutputs } from "../../tools/agent-tests/stack-outputs";
import type { QoderClient } from "../../sdk";

let dir: string;
let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-cases-"));
  fs.mkdirSync(path.join(dir, "qoder", "tests"), { recursive: true });
  process.chdir(dir); // messages show paths relative to the working directory
});
afterEach(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, "qoder", "tests", name), text);
function problems(): string[] {
  try {
    loadCases(["qoder/tests"]);
  } catch (e) {
    if (e instanceof CaseConfigError) return e.problems;
    throw e;
  }
  return [];
}

test("file defaults, case overrides, shorthand forms", () => {
  write("fixture.txt", "a diff");
  write(
    "review.yaml",
    `agent: reviewer
environment: ci
memory_stores: [team-notes]
limits: { wall_time: 2m, max_turns: 3 }
confirm: { Bash: deny }
tool_results: { lookup_ticket: "QD-7", "*": "" }
cases:
  smoke:
    messages: ["hi", { text: "again", expect: { contains: ok } }]
    expect: { contains: LGTM, matches: "/^lgtm/i" }
  other:
    agent: triager
    files: [fixture.txt]
    memory_stores: [{ store: team-notes, access: read_write }]
    limits: { wall_time: 500ms, max_credits: 2 }
    confirm: { Read: allow }
    tool_results: { lookup_ticket: { text: down, is_error: true } }
    messages: [x]
`,
  );
  const [other, smoke] = loadCases(["qoder/tests"]).sort((a, b) => a.id.localeCompare(b.id));
  expect(smoke).toMatchObject({
    id: "review/smoke",
    file: "qoder/tests/review.yaml",
    agent: "reviewer",
    environment: "ci",
    memoryStores: [{ ref: "team-notes", access: "read_only" }],
    messages: [{ text: "hi", expect: {} }, { text: "again", expect: { contains: ["ok"] } }],
    expect: { contains: ["LGTM"], matches: "/^lgtm/i" },
    confirm: { Bash: "deny" },
    toolResults: { lookup_ticket: { text: "QD-7", isError: false }, "*": { text: "", isError: false } },
    limits: { wallTimeMs: 120_000, maxTurns: 3 },
    fields: { agent: "agent", environment: "environment" },
  });
  expect(other).toMatchObject({
    agent: "triager",
    files: [{ kind: "path", path: path.join(fs.realpathSync(dir), "qoder", "tests", "fixture.txt") }],
    memoryStores: [{ ref: "team-notes", access: "read_write" }],
    confirm: { Bash: "deny", Read: "allow" },
    toolResults: { lookup_ticket: { text: "down", isError: true }, "*": { text: "", isError: false } },
    limits: { wallTimeMs: 500, maxTurns: 3, maxCredits: 2 },
    fields: { agent: "cases.other.agent", memory_stores: "cases.other.memory_stores" },
  });
  expect(loadCases([path.join(dir, "qoder", "tests", "review.yaml")])[0].limits.maxTurns).toBe(3);
});

test("every problem at once, each with its file and field", () => {
  write(
    "review.yaml",
    `agent: reviewer
modle: x
cases:
  smoke:
    messages: []
    expect: { contians: x, matches: "((", stop_reason: done }
    limits: { wall_time: soon }
    tool_results: { lookup_ticket: { txt: x }, other: 3 }
  "bad name":
    messages: [hi]
  nofile:
    files: [missing.txt]
    messages: [hi]
`,
  );
  write("noagent.yaml", "cases:\n  a:\n    messages: [hi]\n");
  write("empty.yaml", "cases: {}\n");
  write("broken.yaml", "cases: [\n");
  expect(problems().sort()).toEqual(
    [
      "qoder/tests/broken.yaml: invalid YAML (line 2, column 1): Flow sequence in block collection must be sufficiently indented and end with a ]",
      "qoder/tests/empty.yaml: cases: must hold at least one case",
      "qoder/tests/noagent.yaml: cases.a.agent: missing: name the agent (a Fleet agent name or an agent id), here or at the top of the file",
      "qoder/tests/review.yaml: modle: unknown key",
      "qoder/tests/review.yaml: cases.smoke.messages: Too small: expected array to have >=1 items",
      "qoder/tests/review.yaml: cases.smoke.expect.contians: unknown key",
      "qoder/tests/review.yaml: cases.smoke.expect.matches: not a valid regular expression: Invalid regular expression: /((/: Unterminated group",
      'qoder/tests/review.yaml: cases.smoke.expect.stop_reason: Invalid option: expected one of "end_turn"|"requires_action"|"cancelled"|"terminated"',
      "qoder/tests/review.yaml: cases.smoke.limits.wall_time: must be seconds (a number) or a duration such as 90s, 2m, 500ms",
      "qoder/tests/review.yaml: cases.smoke.tool_results.lookup_ticket: must be the text the tool returns, or { text, is_error: true } to answer with a failure",
      "qoder/tests/review.yaml: cases.smoke.tool_results.other: must be the text the tool returns, or { text, is_error: true } to answer with a failure",
    ].sort(),
  );
  // once the schema passes, names and references are checked
  write("review.yaml", 'agent: reviewer\ncases:\n  "bad name":\n    messages: [hi]\n  nofile:\n    files: [missing.txt]\n    messages: [hi]\n');
  fs.rmSync(path.join(dir, "qoder", "tests", "noagent.yaml"));
  fs.rmSync(path.join(dir, "qoder", "tests", "empty.yaml"));
  fs.rmSync(path.join(dir, "qoder", "tests", "broken.yaml"));
  expect(problems()).toEqual([
    "qoder/tests/review.yaml: cases.bad name: case name must be letters, digits, '.', '_' or '-'",
    'qoder/tests/review.yaml: cases.nofile.files[0]: no file "missing.txt" next to the case file (paths are relative to it)',
  ]);
});

test("no case files, and a case id used twice", () => {
  expect(problems()).toEqual(["qoder/tests: no test case files (*.yaml)"]);
  write("a.yaml", "agent: r\ncases:\n  x:\n    messages: [hi]\n");
  write("a.yml", "agent: r\ncases:\n  x:\n    messages: [hi]\n");
  expect(problems()).toEqual(['qoder/tests/a.yml: cases.x: case id "a/x" is also used by qoder/tests/a.yaml; rename the file or the case']);
});

test("Fleet names resolve from stack outputs; unknown names are named with their field", async () => {
  write("r.yaml", "agent: reviewer\ncases:\n  a:\n    messages: [hi]\n  b:\n    agent: ghost\n    vaults: [nope]\n    messages: [hi]\n");
  const outputs = parseFleetOutputs({ agents: { reviewer: { id: "agent_abcdef123", version: 4, environmentId: "env_abcdef123", vaultIds: ["vault_abcdef123"], memoryStoreIds: [] } }, vaults: {} }, "stack dev");
  const client = {} as QoderClient; // no call is made before every reference resolves
  await expect(planCases(loadCases(["qoder/tests"]), { client, outputs })).rejects.toMatchObject({
    problems: ['qoder/tests/r.yaml: cases.b.agent: no agent "ghost": the stack\'s agents are "reviewer"'],
  });
  write("r.yaml", "agent: reviewer\ncases:\n  b:\n    vaults: [nope]\n    messages: [hi]\n");
  await expect(planCases(loadCases(["qoder/tests"]), { client, outputs })).rejects.toMatchObject({
    problems: [expect.stringMatching(/^qoder\/tests\/r\.yaml: cases\.b\.vaults\[0\]: no vault "nope" \(not in the stack's vaults output; /)],
  });
  expect(() => parseFleetOutputs({ url: "x" }, "stack dev")).toThrow(/stack dev has no `agents` output/);
});

test("expectations: one sentence per unmet one; the default stop reason and errors", () => {
  const o = { finalMessage: "LGTM: fine", toolsUsed: ["Read"], toolsDenied: ["Bash"], stopReason: "end_turn", errors: [] };
  expect(unmet({ contains: ["LGTM"], tools_used: ["Read"], tools_not_used: ["Bash"], matches: "^LGTM" }, o)).toEqual([]);
  expect(unmet({ contains: ["nope"], not_contains: ["fine"], tools_used: ["Bash"], not_matches: "/lgtm/i" }, o, "message 1: ")).toEqual([
    'message 1: final message does not contain "nope"',
    'message 1: final message contains "fine"',
    "message 1: final message matches /lgtm/i",
    "message 1: tool Bash was not used (its use was denied) (used: Read)",
  ]);
  expect(unmet({}, { ...o, stopReason: "requires_action", errors: ["boom"] }, "", { stopReason: "end_turn", allowErrors: false })).toEqual([
    "stop reason requires_action, expected end_turn",
    "session.error: boom (set expect.allow_errors: true if this is expected)",
  ]);
  expect(unmet({ contains: ["x"] }, { ...o, finalMessage: undefined })).toEqual(["the agent sent no message"]);
  expect(DEFAULT_MAX_TURNS).toBeGreaterThan(1);
});

test("reports escape what agents and case files say", () => {
  const r: CaseResult = {
    id: "a/b|c",
    file: 'q/"t".yaml',
    name: "b<c>",
    agent: { label: "rev@x", id: "agent_1", version: 2 },
    verdict: "failed",
    failures: ['final message does not contain "<x>"'],
    turns: 1,
    durationMs: 1200,
    reconnects: 0,
    transcript: [{ turn: 1, text: "agent.message: ```\n| row | <script>\u0001" }],
    notes: [],
  };
  const xml = toJUnit({ results: [r], durationMs: 1500 });
  expect(xml).toContain('<testcase classname="q/&quot;t&quot;.yaml" name="b&lt;c&gt;" time="1.200">');
  expect(xml).toContain('<failure message="final message does not contain &quot;&lt;x&gt;&quot;" type="expectation">');
  expect(xml).toContain("&lt;script&gt;\ufffd");
  expect(xmlText("a\u0000b")).toBe("a\ufffdb");
  const md = toMarkdown({ results: [r], durationMs: 1500 });
  expect(md).toContain("| ❌ | a/b\\|c | rev&#64;x&#64;2 | failed | 1 | 1.2 s |");
  expect(md).toContain("<summary>❌ a/b|c: 1 unmet expectation</summary>");
  expect(md).toContain("````text\n"); // the fence outgrows the transcript's own backticks
});
