// A misconfigured provider must fail loudly and change nothing. A base URL without its
// /api/v1/cloud suffix makes every route 404 from the server's router: that is not "deleted
// outside Pulumi", so refresh must keep every resource. A malformed number in the environment
// must be refused by name instead of turning into NaN.
import { resourcesOf } from "../../testkit/stack";
import { typeToken, useKit } from "../../testkit/kit";
import { writesOf } from "../../testkit/emulator-process";

const kit = useKit("kinds");
const program = {
  environments: { env: { name: "wrong-url-env", deletionPolicy: "delete" as const } },
  memoryStores: { store: { name: "wrong-url-store", description: "d", deletionPolicy: "delete" as const } },
  agents: { agent: { name: "wrong-url-agent", model: "ultimate", deletionPolicy: "delete" as const } },
};

/** "type id" of every qoder resource in state. */
async function managed(): Promise<string[]> {
  const state = await kit.stack.exportState();
  const kinds = ["Environment", "MemoryStore", "Agent"];
  return kinds.flatMap((k) => resourcesOf(state, typeToken(k)).map((r: { id: string }) => `${k} ${r.id}`)).sort();
}

beforeAll(async () => {
  kit.stack.setArgs(program);
  expect((await kit.stack.up()).summary).toEqual({ create: 4 }); // 3 resources + the stack
});

test("refresh and up --refresh with a suffix-less base URL fail clearly and keep every resource", async () => {
  const { emu, stack } = kit;
  const before = await managed();
  expect(before).toHaveLength(3);
  const good = stack.env.QODER_BASE_URL;
  stack.env.QODER_BASE_URL = emu.origin; // the usual mistake: no /api/v1/cloud
  try {
    await emu.resetStats();
    for (const run of [() => stack.run("refresh"), () => stack.run("up", { refresh: true })]) {
      const r = await run();
      expect(r.ok).toBe(false);
      expect(r.error).toContain(`${emu.origin}/`); // names the URL it called
      expect(r.error).toMatch(/\/api\/v1\/cloud/); // and the usual fix
      expect(r.error).toMatch(/region/);
      expect(r.error).not.toContain(emu.token);
      expect(await managed()).toEqual(before);
    }
    expect(writesOf(await emu.stats())).toEqual([]);
  } finally {
    stack.env.QODER_BASE_URL = good;
  }
  // Fixed URL: nothing to create again, nothing drifted.
  const up = await stack.up(true);
  expect(up.summary).toEqual({ same: 4 }); // 3 resources + the stack
  expect(await managed()).toEqual(before);
});

test.each([
  ["QODER_TIMEOUT_MS", "60s", /QODER_TIMEOUT_MS must be a whole number of milliseconds/],
  ["QODER_MAX_RETRIES", "abc", /QODER_MAX_RETRIES must be a whole number/],
])("%s=%s is refused by name, not turned into NaN", async (name, value, rule) => {
  const { stack } = kit;
  stack.env[name] = value;
  try {
    const r = await stack.run("refresh");
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(rule);
    expect(r.error).toContain(`"${value}"`);
    expect(r.error).not.toMatch(/NaN/);
  } finally {
    delete stack.env[name];
  }
});
