// `npm run demo` end to end (scripts/demo → dist/tools/demo.js): the first run creates the
// sample fleet on a fresh emulator data file, the second is a no-op, and the drift check is clean;
// then an out-of-band edit (`npm run demo -- edit`) is reported by the drift check and healed.
// A failing run (a wrong base URL) prints Pulumi's log once and ends with the cause and the fix.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { REPO_ROOT } from "../../testkit/paths";
import { resolveToolchain, toolPath } from "../../testkit/toolchain";

const stack = `e2e-${process.pid}`;
const data = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-demo-"));
const failing = `e2e-fail-${process.pid}`;
const configFile = (name: string) => path.join(REPO_ROOT, ".qoder", "config", `Pulumi.${name}.yaml`);

afterAll(() => {
  fs.rmSync(data, { recursive: true, force: true });
  for (const name of [stack, failing]) fs.rmSync(configFile(name), { force: true });
});

function demo(...args: string[]): Promise<{ code: number; out: string; stdout: string; stderr: string }> {
  return demoWith({}, ...args);
}

function demoWith(extra: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    QODER_DEMO_DATA: data,
    QODER_DEMO_STACK: stack,
    QODER_DEMO_NO_BUILD: "1", // the suite runs on a fresh build
    PULUMI_HOME: path.join(data, "home"),
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  delete env.PULUMI_BACKEND_URL;
  delete env.PULUMI_CONFIG_PASSPHRASE;
  Object.assign(env, extra);
  return new Promise((resolve) => {
    execFile("bash", [path.join(REPO_ROOT, "scripts", "demo"), ...args], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) || 1 : 0, out: stdout + stderr, stdout, stderr }),
    );
  });
}

test("first run creates the sample fleet, the second is a no-op, drift is clean", async () => {
  const first = await demo();
  expect({ code: first.code, tail: first.out.slice(-2000) }).toMatchObject({ code: 0 });
  expect(first.out).toMatch(/\+ 9 created/);
  expect(first.out).toMatch(/reviewer\s*: \{/); // Pulumi's own Outputs section, printed once
  expect(first.out.match(/Outputs:/g)).toHaveLength(1);
  expect(first.out).toMatch(/npm run drift/);
  expect(fs.existsSync(path.join(data, "emulator.json"))).toBe(true);

  const second = await demo();
  expect(second.code).toBe(0);
  expect(second.out).toMatch(/No changes: the service already matches qoder\//);
  expect(second.out).toMatch(/9 unchanged/);
  expect(second.out).not.toMatch(/created|updated|deleted/);
  // Quiet when well: the emulator line and the verdict, no log, no outputs.
  expect(second.out.trim().split("\n")).toHaveLength(2);
  expect(fs.existsSync(path.join(data, "outputs.json"))).toBe(true);

  // After `up`, a refresh finds nothing, for every kind in the sample fleet (agent, environment,
  // skill, vault, memory store, memory): neither outputs nor inputs differ (Pulumi shows an input
  // difference as `[diff: +name]` on every refresh).
  expect(await refreshDifferences()).toEqual([]);

  const drift = await demo("drift");
  expect(drift.code).toBe(0);
  expect(drift.out).toMatch(/No drift/);
  expect(first.out + second.out + drift.out).not.toContain("demo-placeholder-not-a-real-token");

  // The README's newcomer path: someone edits the reviewer in the console, the drift check
  // reports the prompt and metadata, and the next demo run puts the program's version back.
  const edit = await demo("edit");
  expect(edit.code).toBe(0);
  expect(edit.out).toMatch(/Edited agent agent_[0-9a-f]{32} \(reviewer\) out of band/);
  const drifted = await demo("drift");
  expect(drifted.code).toBe(2);
  expect(drifted.out).toMatch(/reviewer/);
  expect(drifted.out).toMatch(/system/);
  expect(drifted.out).toMatch(/urgent/);
  expect(drifted.out).toMatch(/metadata/);
  const healed = await demo();
  expect(healed.code).toBe(0);
  expect(healed.out).toMatch(/1 updated/);
  expect((await demo("drift")).code).toBe(0);
});

test("a failing run prints Pulumi's log once and ends with the cause, the resource and what to do", async () => {
  // The real-service path with a base URL whose router answers 404 for every route.
  const emu = await EmulatorProcess.start();
  try {
    const r = await demoWith({ QODER_DEMO_REAL: "1", QODER_DEMO_STACK: failing, QODER_PAT: emu.token, GITHUB_MCP_TOKEN: "gh-e2e-demo-fail", QODER_BASE_URL: `${emu.origin}/api/v2/cloud`, QODER_MAX_RETRIES: "0" });
    expect(r.code).toBe(1);
    expect(r.out.match(/Diagnostics:/g)).toHaveLength(1);
    expect(r.out).not.toMatch(/Command failed|^\s+at /m);
    // The last lines: the cause once (a 404 from the router: the base URL hint), the other
    // resources it hit, and the next step. How many creates were in flight when the first one
    // failed is up to the engine's timing (it starts no new step after an error), so the "same
    // error" line names one or more of the others, or is absent when only one was tried; but
    // every resource that failed is named once, and the cause is never repeated.
    const tail = r.stderr.trim().split("\n");
    expect(tail[0]).toBe("demo: `pulumi up` failed:");
    expect(tail[1]).toMatch(/^  qoder\/[a-z-]+\/[a-z./-]+: qoder \w+: create failed: 404 .* so the base URL is probably wrong\. It must end in \/api\/v1\/cloud/);
    const failed = [...r.stdout.matchAll(/^ {2}pulumi-nodejs:dynamic\/qoder:\w+ \((demo-[a-z-]+)\):$/gm)].map((m) => m[1]);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    const others = tail.length === 4 ? tail[2] : undefined;
    if (failed.length > 1) expect(others).toMatch(/^  \(the same error for demo-[a-z-]+(, demo-[a-z-]+)*\)$/);
    else expect(tail).toHaveLength(3);
    expect(others?.match(/demo-[a-z-]+/g)?.length ?? 0).toBe(failed.length - 1);
    expect(tail[tail.length - 1]).toMatch(/^Fix what the message names, then run `QODER_DEMO_REAL=1 npm run demo` again/);
    expect(r.out).not.toContain("gh-e2e-demo-fail");
  } finally {
    await emu.stop();
  }
});

/** `pulumi refresh --preview-only --json` on the demo stack: "<resource>: <fields>" that differ. */
async function refreshDifferences(): Promise<string[]> {
  const emu = await EmulatorProcess.start(["--data", path.join(data, "emulator.json")], "pt-demo-emulator-token");
  try {
    const env = { ...process.env, PATH: toolPath(resolveToolchain()), PULUMI_HOME: path.join(data, "home"), PULUMI_BACKEND_URL: `file://${path.join(data, "state")}`, PULUMI_CONFIG_PASSPHRASE: "qoder-demo", QODER_BASE_URL: emu.baseUrl, PULUMI_SKIP_UPDATE_CHECK: "true" };
    const out = execFileSync("pulumi", ["refresh", "--preview-only", "--json", "--non-interactive", "--stack", stack], { cwd: REPO_ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 });
    type State = { type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
    const steps = (JSON.parse(out) as { steps: Array<{ urn: string; oldState?: State; newState?: State }> }).steps;
    expect(new Set(steps.map((s) => s.newState?.type ?? s.oldState?.type))).toEqual(new Set(["pulumi:pulumi:Stack", "qoder:index:Fleet", ...["Agent", "Environment", "Skill", "Vault", "MemoryStore", "Memory"].map((k) => `pulumi-nodejs:dynamic/qoder:${k}`)]));
    const differing = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== "__provider" && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    return steps.flatMap((s) => {
      const fields = [...differing(s.oldState?.inputs, s.newState?.inputs).map((f) => `inputs.${f}`), ...differing(s.oldState?.outputs, s.newState?.outputs).map((f) => `outputs.${f}`)];
      return fields.length ? [`${s.urn.slice(s.urn.lastIndexOf("::") + 2)}: ${fields.join(", ")}`] : [];
    });
  } finally {
    await emu.stop();
  }
}
