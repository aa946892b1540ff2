// Provider settings come from stack config (or the environment) at run time, never from state.
import { QoderClient } from "../../sdk";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { TestStack } from "../../testkit/stack";

let emu: EmulatorProcess;
const stacks: TestStack[] = [];
const agent = { name: "cfg", model: "ultimate", deletionPolicy: "delete" };

beforeAll(async () => {
  emu = await EmulatorProcess.start();
});
afterAll(async () => {
  stacks.forEach((s) => s.cleanup());
  await emu?.stop();
});

function newStack(env: Record<string, string> = {}): TestStack {
  const s = new TestStack("agent", emu, { env });
  delete s.env.QODER_BASE_URL;
  stacks.push(s);
  return s.setArgs({ agents: { cfg: agent } });
}

test("qoder:token and qoder:baseUrl from secret stack config; the token never reaches state", async () => {
  const stack = newStack();
  await stack.ok("setConfig", {
    config: { "qoder:token": { value: emu.token, secret: true }, "qoder:baseUrl": { value: emu.baseUrl } },
  });
  const up = await stack.up();
  const api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl });
  expect((await api.agents.get(up.outputs!.cfg.agentId)).name).toBe("cfg");
  const atRest = stack.stateFiles();
  expect(atRest).toContain("qoder:token"); // recorded, as the default provider's secret input...
  expect(atRest).not.toContain(emu.token); // ...but only as ciphertext
  expect(up.raw).not.toContain(emu.token);
  await stack.destroy();
});

test("QODER_PAT and QODER_BASE_URL from the environment work without any config", async () => {
  const stack = newStack({ QODER_PAT: emu.token });
  stack.env.QODER_PAT = emu.token;
  stack.env.QODER_BASE_URL = emu.baseUrl;
  const up = await stack.up();
  // Same stack, resource name and body as the previous test's (destroyed) agent: the create key
  // replays, and the provider must notice the replayed agent is gone and create a fresh one.
  const api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl });
  expect((await api.agents.get(up.outputs!.cfg.agentId)).name).toBe("cfg");
  await stack.destroy();
});

test("a missing token fails with one error that names both settings, before any request", async () => {
  const stack = newStack();
  stack.env.QODER_BASE_URL = emu.baseUrl;
  await emu.resetStats();
  const preview = await stack.run("preview");
  expect(preview.ok).toBe(true); // check and diff need no token
  const up = await stack.run("up");
  expect(up.ok).toBe(false);
  expect(up.error).toContain("qoder:token");
  expect(up.error).toContain("QODER_PAT");
  expect((await emu.stats()).total).toBe(0);
});

test("an unknown region is refused with the allowed values", async () => {
  const stack = newStack({ QODER_PAT: emu.token });
  stack.env.QODER_PAT = emu.token;
  await stack.ok("setConfig", { config: { "qoder:region": { value: "mars" } } });
  const up = await stack.run("up");
  expect(up.ok).toBe(false);
  expect(up.error).toMatch(/qoder:region must be "cn" or "global"/);
});
