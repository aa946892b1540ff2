import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiClient, errorOf } from "../../testkit/emulator-http";

const CLI = join(__dirname, "../../emulator/cli.js");
const running: ChildProcess[] = [];
afterAll(() => running.forEach((p) => p.exitCode === null && p.kill("SIGKILL")));

/** Starts the CLI and waits for its two banner lines. */
function startCli(args: string[]): Promise<{ proc: ChildProcess; baseUrl: string; lines: string[] }> {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.push(proc);
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const lines = out.split("\n");
      if (lines.length < 3) return;
      const m = /^qoder-emulator listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cloud)$/.exec(lines[0]);
      if (!m) reject(new Error(`unexpected banner: ${out}`));
      else resolve({ proc, baseUrl: m[1], lines: lines.slice(0, 2) });
    });
    proc.on("exit", (code) => reject(new Error(`exited early with ${code}`)));
  });
}

const stop = (proc: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<number | null>((resolve) => {
    proc.on("exit", (code) => resolve(code));
    proc.kill(signal);
  });

describe("qoder-emulator CLI", () => {
  test("prints its URL and token, serves an empty agent list, exits 0 on SIGTERM", async () => {
    const { proc, baseUrl, lines } = await startCli(["--port", "0"]);
    expect(lines[1]).toBe("qoder-emulator token: pt-emulator-dev-token");
    const res = await fetch(`${baseUrl}/agents`, { headers: { authorization: "Bearer pt-emulator-dev-token" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"data":[],"first_id":null,"last_id":null,"has_more":false}');
    expect(await stop(proc, "SIGTERM")).toBe(0);
  });

  test("--token is accepted but never echoed; --data persists across a restart; SIGINT exits 0", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "qoder-cli-")), "emu.json");
    const token = "pt-my-private-token";
    const args = ["--port=0", "--token", token, "--data", data, "--body-limit", "1mb"];
    const first = await startCli(args);
    expect(first.lines[1]).toBe("qoder-emulator token: (from --token)");
    expect(first.lines.join("\n")).not.toContain(token);
    const api1 = apiClient(first.baseUrl, token);
    expect(errorOf(await apiClient(first.baseUrl, "pt-emulator-dev-token")("GET", "/agents"))).toMatchObject({ status: 401 });
    const created = await api1("POST", "/agents", { name: "durable", model: "auto" });
    expect(created.status).toBe(201);
    // acknowledged → already on disk, even before a clean shutdown
    expect(JSON.parse(readFileSync(data, "utf8")).state.agents[created.body.id].name).toBe("durable");
    expect(await stop(first.proc, "SIGKILL")).toBe(null);

    const second = await startCli(args);
    const api2 = apiClient(second.baseUrl, token);
    expect((await api2("GET", `/agents/${created.body.id}`)).body).toEqual(created.body);
    const envs = (await api2("GET", "/environments")).body.data;
    expect(envs).toHaveLength(1); // the default environment was not created twice
    expect(await stop(second.proc, "SIGINT")).toBe(0);
  });

  test("fault flags apply from the start", async () => {
    const { proc, baseUrl } = await startCli(["--port", "0", "--error-rate", "1", "--error-status", "429", "--retry-after", "3"]);
    const res = await fetch(`${baseUrl}/agents`, { headers: { authorization: "Bearer pt-emulator-dev-token" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await stop(proc, "SIGTERM")).toBe(0);
  });

  test("bad flags exit 2 with usage", async () => {
    const proc = spawn(process.execPath, [CLI, "--bogus"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => proc.on("exit", r));
    expect(code).toBe(2);
    expect(err).toContain("unknown flag --bogus");
  });
});
