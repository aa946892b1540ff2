// examples/session as a user runs it: a separate node process against an emulator, on an agent
// created through the API.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { QoderClient } from "../../sdk";

const run = promisify(execFile);
const SCRIPT = join(__dirname, "..", "..", "examples", "session", "index.js"); // dist/examples/session/index.js

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());

test("examples/session starts a session on the given agent and prints its streamed events", async () => {
  const client = new QoderClient({ baseUrl: emu.baseUrl, token: emu.token });
  const agent = await client.agents.create({ name: "example-agent", model: "ultimate", tools: [{ type: "agent_toolset_20260401", enabled_tools: ["Read"] }] });
  const env = { ...process.env, QODER_BASE_URL: emu.baseUrl, QODER_PAT: emu.token, QODER_AGENT_ID: "" };
  const { stdout } = await run(process.execPath, [SCRIPT, agent.id, "--message", "[[tool:Read]][[say:hi there]]"], { env, timeout: 30_000 });
  const lines = stdout.trim().split("\n");
  expect(lines[0]).toMatch(new RegExp(`^session sess_\\w+ on agent ${agent.id} \\(version 1\\)$`));
  expect(lines.slice(2)).toEqual([
    "session.status_running",
    "span.model_request_start",
    "agent.tool_use Read",
    "span.model_request_end",
    "agent.tool_result: [qoder-emulator] Read was not executed: the emulator runs no tools.",
    "span.model_request_start",
    "agent.message: [qoder-emulator] hi there",
    "span.model_request_end",
    "session.status_idle (stop reason: end_turn)",
  ]);
  const sessions = await client.sessions.list().toArray();
  expect(sessions.map((s) => s.agent?.id)).toContain(agent.id);
}, 60_000);

test("without an agent id it says what is missing", async () => {
  const env = { ...process.env, QODER_BASE_URL: emu.baseUrl, QODER_PAT: emu.token, QODER_AGENT_ID: "" };
  const err = await run(process.execPath, [SCRIPT], { env, timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  expect(err).toMatchObject({ code: 1, stderr: expect.stringContaining("pass an agent id") });
}, 60_000);
