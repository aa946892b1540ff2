// `npm run demo` end to end (scripts/demo → dist/tools/demo.js): the first run creates the
// sample fleet on a fresh emulator data file, the second is a no-op, and the drift check is clean;
// then an out-of-band edit (`npm run demo -- edit`) is reported by the drift check and healed.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../testkit/paths";

const stack = `e2e-${process.pid}`;
const data = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-demo-"));
const configFile = path.join(REPO_ROOT, ".qoder", "config", `Pulumi.${stack}.yaml`);

afterAll(() => {
  fs.rmSync(data, { recursive: true, force: true });
  fs.rmSync(configFile, { force: true });
});

function demo(...args: string[]): Promise<{ code: number; out: string }> {
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
  return new Promise((resolve) => {
    execFile("bash", [path.join(REPO_ROOT, "scripts", "demo"), ...args], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as any).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

test("first run creates the sample fleet, the second is a no-op, drift is clean", async () => {
  const first = await demo();
  expect({ code: first.code, tail: first.out.slice(-2000) }).toMatchObject({ code: 0 });
  expect(first.out).toMatch(/\+ 9 created/);
  expect(first.out).toMatch(/"reviewer": \{/);
  expect(first.out).toMatch(/npm run drift/);
  expect(fs.existsSync(path.join(data, "emulator.json"))).toBe(true);

  const second = await demo();
  expect(second.code).toBe(0);
  expect(second.out).toMatch(/No changes: the service already matches qoder\//);
  expect(second.out).toMatch(/9 unchanged/);
  expect(second.out).not.toMatch(/created|updated|deleted/);

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
