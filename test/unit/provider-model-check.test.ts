// A wrong model fails in preview (check), naming the file and the valid ids, with one GET /models
// per provider process and only when the model is new or changed. Against the emulator over HTTP.
import { startEmulator, type RunningEmulator } from "../../emulator";
import * as impl from "../../provider/impl";

let emu: RunningEmulator;
const requests = async (): Promise<number> =>
  ((await (await fetch(`${emu.origin}/_emulator/stats`, { headers: { authorization: `Bearer ${emu.token}` } })).json()) as { total: number }).total;
const configure = (settings: Record<string, string>) => impl.configure({ config: { get: (k) => settings[k] } });
const agent = (model: unknown) => ({ name: "reviewer", model, sourceFile: "qoder/agents/reviewer.md", __createKey: "p/s/agent/reviewer" });

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
  await impl.configure(undefined);
});

test("an unknown model fails check naming the file, the rule and the valid ids; one GET for the process", async () => {
  await configure({ "qoder:token": emu.token, "qoder:baseUrl": emu.baseUrl });
  const before = await requests();
  const r = await impl.check("agent", {}, agent("performence"));
  expect(r.failures).toEqual([
    { property: "model", reason: expect.stringMatching(/^qoder\/agents\/reviewer\.md: model: "performence" is not a model this account may use; valid ids: .*ultimate/) },
  ]);
  expect((await impl.check("agent", {}, agent({ id: "ultimate", effort: "high" }))).failures).toBeUndefined();
  expect((await impl.check("agent", {}, agent("nope"))).failures).toHaveLength(1);
  expect((await requests()) - before).toBe(1);
});

test("an unchanged model, an unknown one during preview, or no token: no request and no failure", async () => {
  await configure({ "qoder:token": emu.token, "qoder:baseUrl": emu.baseUrl });
  const before = await requests();
  expect((await impl.check("agent", agent("gone-model"), agent("gone-model"))).failures).toBeUndefined();
  expect((await impl.check("agent", {}, agent("04da6b54-80e4-46f7-96ec-b56ff0331ba9"))).failures).toBeUndefined();
  expect((await requests()) - before).toBe(0);
  await configure({ "qoder:baseUrl": emu.baseUrl }); // no token: apply reports the model instead
  const saved = process.env.QODER_PAT;
  delete process.env.QODER_PAT;
  try {
    expect((await impl.check("agent", {}, agent("performence"))).failures).toBeUndefined();
  } finally {
    if (saved !== undefined) process.env.QODER_PAT = saved;
  }
  expect((await requests()) - before).toBe(0);
});

test("the host configures once per kind with the same stack config: the model list fetched stays; another config forgets it", async () => {
  const settings = { "qoder:token": emu.token, "qoder:baseUrl": emu.baseUrl };
  await configure({ "qoder:baseUrl": emu.baseUrl, "qoder:token": "another" }); // start from a different config
  await configure(settings);
  const before = await requests();
  expect((await impl.check("agent", {}, agent("performence"))).failures).toHaveLength(1);
  for (let i = 0; i < 7; i++) await configure({ ...settings }); // the other kinds' modules
  expect((await impl.check("agent", {}, agent("nope"))).failures).toHaveLength(1);
  expect((await requests()) - before).toBe(1);
  await configure({ ...settings, "qoder:region": "global" });
  expect((await impl.check("agent", {}, agent("nope"))).failures).toHaveLength(1);
  expect((await requests()) - before).toBe(2);
});
