// qoder-test (the package bin) against one emulator process: verdicts and exit codes, the
// transcript of a failure in the terminal, JUnit and Markdown, references checked before any
// session, tool confirmations, a stream dropped mid-case, parallel cases, and a real stack whose
// deployed agent version is the one tested. No report or log may hold the PAT or a vault token.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { QoderClient } from "../../sdk";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { REPO_ROOT } from "../../testkit/paths";
import { disposeProject, upSampleFleet, type ProjectStack } from "./programs/project";

const CLI = path.join(REPO_ROOT, "dist", "tools", "test-cli.js");
const GH_TOKEN = "ghp-agent-tests-e2e-vault-token-0123456789";

let emu: EmulatorProcess;
let api: QoderClient;
let agentId: string;
let scratch: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  junit: string;
  markdown: string;
  json: { tests: number; failures: number; errors: number; results: Array<{ id: string; verdict: string; sessionId?: string; reconnects: number; turns: number; transcript: Array<{ text: string }>; agent: { id: string; version: number } }> };
}

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  agentId = (await api.agents.create({ name: "reviewer", model: "auto", tools: [{ type: "agent_toolset_20260401", enabled_tools: ["Read", "Bash"] }, { type: "custom", name: "lookup_ticket", description: "Looks a ticket up", input_schema: { type: "object" } }] })).id;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-agent-tests-"));
});
afterAll(async () => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  await emu?.stop();
});

let runs = 0;
/** Writes `cases` (file name → YAML) to a fresh directory and runs qoder-test on it with every report. */
async function qoderTest(cases: Record<string, string>, args: string[] = [], env: Record<string, string> = {}, cwd = scratch): Promise<Run> {
  const dir = path.join(scratch, `run-${++runs}`);
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(cases)) fs.writeFileSync(path.join(dir, name), text);
  const out = (f: string) => path.join(dir, f);
  const caseArgs = Object.keys(cases).length ? [dir] : [];
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...caseArgs, "--junit", out("junit.xml"), "--markdown", out("summary.md"), "--json", out("results.json"), ...args],
      { cwd, env: { ...process.env, QODER_BASE_URL: emu.baseUrl, QODER_PAT: emu.token, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  const read = (f: string) => (fs.existsSync(out(f)) ? fs.readFileSync(out(f), "utf8") : "");
  return { ...r, junit: read("junit.xml"), markdown: read("summary.md"), json: read("results.json") ? JSON.parse(read("results.json")) : undefined };
}

const explicit = () => ["--agent", `reviewer=${agentId}`];

test("a passing case: exit 0, progress per event, reports, the session deleted", async () => {
  const r = await qoderTest({
    "review.yaml": `agent: reviewer
cases:
  smoke:
    messages: ["Review this. [[tool:Read]][[say:LGTM, ship it]]"]
    expect: { contains: LGTM, tools_used: [Read], tools_not_used: [Bash], stop_reason: end_turn }
`,
  }, explicit());
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("review/smoke turn 1: agent.tool_use Read");
  expect(r.stdout).toMatch(/^PASS review\/smoke \(reviewer@1, 1 turn, /m);
  expect(r.junit).toMatch(/<testsuites name="qoder-test" tests="1" failures="0" errors="0" time="[\d.]+">/);
  expect(r.junit).toMatch(/<testcase classname="[^"]*review\.yaml" name="smoke" time="[\d.]+">/);
  expect(r.markdown).toMatch(/All 1 passed/);
  expect(r.markdown).toMatch(/\| ✅ \| review\/smoke \| reviewer&#64;1 \| passed \| 1 \| [\d.]+ s \|/);
  const [result] = r.json.results;
  expect(result).toMatchObject({ verdict: "passed", agent: { id: agentId, version: 1 } });
  await expect(api.sessions.get(result.sessionId!)).rejects.toThrow(/not found/i);
});

test("a failing case: exit 2, the transcript in the terminal, JUnit <failure>, escaped reports", async () => {
  const r = await qoderTest({
    "review.yaml": `agent: reviewer
cases:
  wrong:
    messages: ["[[say:Looks <b>fine</b> & \\"done\\" | ok]]"]
    expect: { contains: LGTM, tools_used: [Read] }
  fine:
    messages: ["[[say:LGTM]]"]
    expect: { contains: LGTM }
`,
  }, explicit());
  expect(r.code).toBe(2);
  expect(r.stdout).toMatch(/^FAIL review\/wrong/m);
  expect(r.stdout).toContain('    - final message does not contain "LGTM"');
  expect(r.stdout).toContain("    [turn 1] agent.message: [qoder-emulator] Looks <b>fine</b>");
  expect(r.stdout).toMatch(/^PASS review\/fine/m);
  expect(r.junit).toMatch(/tests="2" failures="1" errors="0"/);
  expect(r.junit).toMatch(/<testcase classname="[^"]*review\.yaml" name="wrong" time="[\d.]+">/);
  expect(r.junit).toContain('<failure message="final message does not contain &quot;LGTM&quot;; tool Read was not used (used: none)" type="expectation">');
  expect(r.junit).toContain("agent.message: [qoder-emulator] Looks &lt;b&gt;fine&lt;/b&gt; &amp; &quot;done&quot; | ok");
  expect(r.junit).not.toContain("<b>");
  expect(r.markdown).toMatch(/\*\*1 failed, 0 errors, 1 passed\*\* of 2/);
  expect(r.markdown).toMatch(/\| ❌ \| review\/wrong \| reviewer&#64;1 \| failed \| 1 \|/);
  expect(r.markdown).toContain("<details><summary>❌ review/wrong: 2 unmet expectations</summary>");
  expect(r.markdown).toMatch(/```text\n- final message does not contain "LGTM"[\s\S]*\[turn 1\] agent\.message: \[qoder-emulator\] Looks <b>fine<\/b>[\s\S]*```/);
});

test("a missing agent or a bad case file: exit 1 naming file and field, before any session", async () => {
  await emu.resetStats();
  const unknown = await qoderTest({ "ghost.yaml": "agent: ghost\ncases:\n  a:\n    messages: [hi]\n" }, explicit());
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/ghost\.yaml: agent: no agent "ghost": pass --stack to read Fleet names from its outputs, or --agent NAME=agent_…/);
  const gone = await qoderTest({ "ghost.yaml": "agent: ghost\ncases:\n  a:\n    messages: [hi]\n" }, ["--agent", "ghost=agent_0000000000000000"]);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(/ghost\.yaml: agent: agent "ghost" \(agent_0000000000000000\) was not found on the service/);
  const typo = await qoderTest({ "typo.yaml": "agent: reviewer\ncases:\n  a:\n    messages: [hi]\n    expect: { contians: x }\n" }, explicit());
  expect(typo.code).toBe(1);
  expect(typo.stderr).toMatch(/typo\.yaml: cases\.a\.expect\.contians: unknown key/);
  expect(typo.junit).toBe("");
  const stats = await emu.stats();
  expect(Object.keys(stats.byRoute).filter((r) => r.includes("/sessions"))).toEqual([]);
});

test("tool confirmations: answered allow or deny as the case says; an unanswered one fails", async () => {
  const r = await qoderTest({
    "confirm.yaml": `agent: reviewer
cases:
  allowed:
    confirm: { Bash: allow }
    messages: ["[[confirm:Bash]][[say:tests pass]]"]
    expect: { contains: tests pass, tools_used: [Bash] }
  denied:
    confirm: { "*": deny }
    messages: ["[[confirm:Bash]][[say:not run]]"]
    expect: { contains: not run, tools_not_used: [Bash] }
  unanswered:
    messages: ["[[confirm:Bash]][[say:never]]"]
`,
  }, explicit());
  expect(r.code).toBe(2);
  const by = Object.fromEntries(r.json.results.map((x) => [x.id, x]));
  expect(by["confirm/allowed"]).toMatchObject({ verdict: "passed", turns: 2 });
  expect(by["confirm/denied"]).toMatchObject({ verdict: "passed", turns: 2 });
  expect(by["confirm/unanswered"].verdict).toBe("failed");
  expect(r.stdout).toContain("confirm/allowed turn 2: > confirm Bash: allow");
  expect(r.stdout).toContain("confirm/denied turn 2: agent.tool_result Bash (error): [qoder-emulator] Bash was denied by the user.");
  expect(r.stdout).toContain("tool Bash asked for confirmation and the case has no answer (add confirm: { Bash: allow } or deny)");
});

test("custom tools: the case's tool_results answer them, as text or as an error; an unanswered one fails", async () => {
  const r = await qoderTest({
    "custom.yaml": `agent: reviewer
tool_results: { "*": "no such ticket" }
cases:
  answered:
    tool_results: { lookup_ticket: "QD-7: the build is red on main" }
    messages: ["[[custom:lookup_ticket]][[say:triaged]]"]
    expect: { contains: triaged, tools_used: [lookup_ticket] }
  failing-tool:
    tool_results: { lookup_ticket: { text: "ticket service down", is_error: true } }
    messages: ["[[custom:lookup_ticket]][[say:retry later]]"]
  fallback:
    messages: ["[[custom:lookup_ticket]][[say:none]]"]
`,
    "unanswered.yaml": `agent: reviewer
cases:
  a:
    messages: ["[[custom:lookup_ticket]][[say:never]]"]
`,
  }, [...explicit(), "--keep-sessions"]);
  expect(r.code).toBe(2);
  const by = Object.fromEntries(r.json.results.map((x) => [x.id, x]));
  expect(by["custom/answered"]).toMatchObject({ verdict: "passed", turns: 2 });
  expect(by["custom/failing-tool"]).toMatchObject({ verdict: "passed", turns: 2 });
  expect(by["custom/fallback"]).toMatchObject({ verdict: "passed", turns: 2 });
  expect(by["unanswered/a"].verdict).toBe("failed");
  expect(r.stdout).toContain("custom/answered turn 2: > result lookup_ticket: QD-7: the build is red on main");
  expect(r.stdout).toContain("custom/failing-tool turn 2: > result lookup_ticket (error): ticket service down");
  expect(r.stdout).toContain(`the agent called custom tool lookup_ticket and the case has no result for it (add tool_results: { lookup_ticket: "what the tool returns" })`);
  // What the service received: one result per case, for the tool use it waited on.
  const sent = async (id: string) => {
    const events = [];
    for await (const e of api.sessions.events.list(by[id].sessionId!)) events.push(e);
    const use = events.find((e) => e.type === "agent.custom_tool_use")!;
    return events.filter((e) => e.type === "user.custom_tool_result").map((e) => ({ ...(e as object), use: use.id }));
  };
  const [answered] = await sent("custom/answered");
  expect(answered).toMatchObject({ custom_tool_use_id: answered.use, content: [{ type: "text", text: "QD-7: the build is red on main" }] });
  expect(answered).not.toHaveProperty("is_error", true);
  expect(await sent("custom/failing-tool")).toEqual([expect.objectContaining({ is_error: true, content: [{ type: "text", text: "ticket service down" }] })]);
  expect(await sent("custom/fallback")).toEqual([expect.objectContaining({ content: [{ type: "text", text: "no such ticket" }] })]);
  expect(await sent("unanswered/a")).toEqual([]);
});

test("a stream dropped mid-case is resumed and the verdict is the same", async () => {
  const cases = {
    "drop.yaml": `agent: reviewer
cases:
  flaky:
    confirm: { Bash: allow }
    messages: ["[[tool:Read]][[confirm:Bash]][[think:ok]][[say:LGTM]]", "[[say:again]]"]
    expect: { contains: again, tools_used: [Read, Bash] }
  failing:
    messages: ["[[tool:Read]][[say:nope]]"]
    expect: { contains: LGTM }
`,
  };
  const steady = await qoderTest(cases, explicit());
  await emu.setFaults({ stream: { dropAfterEvents: 2, retryMs: 20 } });
  let dropped: Run;
  try {
    dropped = await qoderTest(cases, explicit());
  } finally {
    await emu.setFaults({});
  }
  expect(dropped.code).toBe(steady.code);
  expect(steady.code).toBe(2);
  const verdicts = (r: Run) => r.json.results.map((x) => [x.id, x.verdict, x.turns, x.transcript.map((l) => l.text)]);
  expect(verdicts(dropped)).toEqual(verdicts(steady));
  expect(dropped.json.results.every((x) => x.reconnects > 0)).toBe(true);
  expect(steady.json.results.every((x) => x.reconnects === 0)).toBe(true);
  expect(dropped.stdout).toContain("drop/flaky turn 1: stream reconnected");
});

test("parallel cases share nothing: one session each, each transcript its own", async () => {
  const n = 6;
  const cases = Array.from({ length: n }, (_, i) => `  c${i}:\n    messages: ["[[think:case ${i}]][[tool:Read]][[say:marker-${i}]]"]\n    expect: { contains: marker-${i} }\n`).join("");
  const r = await qoderTest({ "many.yaml": `agent: reviewer\ncases:\n${cases}` }, [...explicit(), "--parallel", "3", "--keep-sessions"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`qoder-test: ${n} cases, 3 at a time`);
  const sessions = r.json.results.map((x) => x.sessionId!);
  expect(new Set(sessions).size).toBe(n);
  for (const [i, x] of r.json.results.entries()) {
    const text = x.transcript.map((l) => l.text).join("\n");
    expect(text).toContain(`marker-${i}`);
    for (let j = 0; j < n; j++) if (j !== i) expect(text).not.toContain(`marker-${j}`);
    const events = await api.sessions.events.list(x.sessionId!, { limit: 100 }).toArray();
    expect(events.filter((e) => e.type === "user.message")).toHaveLength(1);
  }
  for (const id of sessions) await api.sessions.delete(id);
});

describe("against a deployed stack", () => {
  let project: ProjectStack;
  beforeAll(async () => {
    project = await upSampleFleet("qoder-test-e2e", emu, GH_TOKEN);
  });
  afterAll(() => disposeProject(project));

  test("--stack tests the agent version `up` deployed; no report or log holds the PAT or a vault token", async () => {
    // the sample's own cases (qoder/tests/reviewer-smoke.yaml), plus one whose agent echoes both secrets
    fs.writeFileSync(
      path.join(project.dir, "qoder", "tests", "echo.yaml"),
      `agent: reviewer\ncases:\n  secrets:\n    messages: ["[[say:vault ${GH_TOKEN} pat ${emu.token}]]"]\n    expect: { contains: nothing-like-this }\n`,
    );
    const [reviewer] = (await api.agents.list().toArray()).filter((a) => a.name === "reviewer" && a.id !== agentId);
    const deployed = reviewer.version;
    // an edit outside Pulumi makes a newer version: the test must still run the deployed one
    await api.agents.update(reviewer.id, { version: deployed, description: "edited in the console" });

    const r = await qoderTest({}, ["--cwd", project.dir, "--stack", project.stack, "--keep-sessions"], { ...project.env, GITHUB_MCP_TOKEN: GH_TOKEN }, project.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2);
    const by = Object.fromEntries(r.json.results.map((x) => [x.id, x]));
    expect(by["reviewer-smoke/reads-the-diff"]).toMatchObject({ verdict: "passed", agent: { id: reviewer.id, version: deployed } });
    expect(by["reviewer-smoke/asks-before-running-commands"].verdict).toBe("passed");
    expect(by["echo/secrets"].verdict).toBe("failed");
    const session = await api.sessions.get(by["reviewer-smoke/reads-the-diff"].sessionId!);
    expect(session.agent?.version).toBe(deployed);
    expect(session.vault_ids).toHaveLength(1); // the Fleet's session bindings came along
    expect(session.resources.map((x) => x.type)).toEqual(["memory_store"]);

    const everything = [r.stdout, r.stderr, r.junit, r.markdown, JSON.stringify(r.json)];
    expect(r.stdout).toContain("[REDACTED]");
    for (const text of everything) {
      expect(text).not.toContain(GH_TOKEN);
      expect(text).not.toContain(emu.token);
    }
  });
});
