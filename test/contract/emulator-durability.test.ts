// The --data file: acknowledged writes are durable or refused, one emulator per file, and the
// file itself gives nothing away.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { apiClient, errorOf, type Api } from "../../testkit/emulator-http";

const CLI = join(__dirname, "../../emulator/cli.js");
const open: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

const dataFile = () => join(mkdtempSync(join(tmpdir(), "qoder-durable-")), "data.json");

async function start(opts: EmulatorOptions): Promise<{ emu: RunningEmulator; api: Api }> {
  const emu = await startEmulator({ port: 0, ...opts });
  open.push(emu);
  return { emu, api: apiClient(emu.baseUrl, emu.token) };
}

async function stop(emu: RunningEmulator): Promise<void> {
  open.splice(open.indexOf(emu), 1);
  await emu.close();
}

/** A PID that belonged to a process which has exited. */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  return new Promise((resolve) => child.on("exit", () => resolve(child.pid!)));
}

const names = async (api: Api) => ((await api("GET", "/agents")).body.data as Array<{ name: string }>).map((a) => a.name);

describe("a write that could not be made durable", () => {
  test("is answered 5xx, is not visible, is not remembered by its key, and is absent after a restart", async () => {
    const file = dataFile();
    const first = await start({ dataFile: file });
    // The emulator saves through `<file>.<pid>.tmp`: a directory in its place makes every save fail.
    const blocker = `${file}.${process.pid}.tmp`;
    mkdirSync(blocker);
    const body = { name: "lost", model: "auto" };
    const key = { "Idempotency-Key": "disk-full-1" };
    const failed = await first.api("POST", "/agents", body, key);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(errorOf(failed)).toMatchObject({ type: "api_error" });
    expect(failed.text).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(await names(first.api)).not.toContain("lost");
    const retried = await first.api("POST", "/agents", body, key);
    expect(retried.status).toBeGreaterThanOrEqual(500);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();

    rmdirSync(blocker);
    await stop(first.emu);
    const second = await start({ dataFile: file });
    expect(await names(second.api)).not.toContain("lost");
    // The disk is back: the same keyed retry now really runs, and it is durable.
    const ok = await second.api("POST", "/agents", body, key);
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
    await stop(second.emu);
    const third = await start({ dataFile: file });
    expect(await names(third.api)).toEqual(["lost"]);
  });
});

describe("deeply nested bodies", () => {
  const deep = (levels: number) =>
    `{"name":"deep","model":"auto","tools":[{"type":"x_tool","input":${"[".repeat(levels)}${"]".repeat(levels)}}]}`;

  test("a 200,000-level body is refused with 400, and the emulator keeps listing and saving", async () => {
    const file = dataFile();
    const first = await start({ dataFile: file });
    const json = { "content-type": "application/json" };
    const refused = await first.api("POST", "/agents", deep(200_000), { ...json, "Idempotency-Key": "deep-1" });
    expect(errorOf(refused)).toMatchObject({ status: 400, type: "invalid_request_error", param: undefined });
    expect(refused.body.error.message).toMatch(/nest/i);
    expect((await first.api("GET", "/agents")).status).toBe(200);
    expect((await first.api("GET", "/environments")).status).toBe(200);
    expect((await first.api("POST", "/agents", { name: "after", model: "auto" })).status).toBe(201);
    // Moderate nesting is still fine.
    expect((await first.api("POST", "/agents", deep(50), json)).status).toBe(201);
    await stop(first.emu);
    const second = await start({ dataFile: file });
    expect((await names(second.api)).sort()).toEqual(["after", "deep"]);
  });
});

describe("one emulator per data file", () => {
  test("a second in-process emulator on the same file is refused with a message naming the file", async () => {
    const file = dataFile();
    await start({ dataFile: file });
    await expect(startEmulator({ port: 0, dataFile: file })).rejects.toThrow(file);
  });

  test("a second CLI process on the same file exits non-zero naming the file; the lock goes with a clean stop", async () => {
    const file = dataFile();
    const first = await start({ dataFile: file });
    const child = spawn(process.execPath, [CLI, "--port", "0", "--data", file], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(err).toContain(file);
    expect(err).toMatch(/in use/);
    expect(err).not.toMatch(/\bat .*\.js:\d+/);
    await stop(first.emu);
    expect(existsSync(`${file}.lock`)).toBe(false);
    await start({ dataFile: file }); // free again
  });

  test("a stale lock left by a dead process is taken over", async () => {
    const file = dataFile();
    writeFileSync(`${file}.lock`, `${await deadPid()}\n`);
    const { api } = await start({ dataFile: file });
    expect((await api("POST", "/agents", { name: "after-crash", model: "auto" })).status).toBe(201);
    expect(readFileSync(`${file}.lock`, "utf8").trim()).toBe(String(process.pid));
  });
});

describe("start-up checks", () => {
  test("a corrupt data file is refused with a message naming the file", async () => {
    const file = dataFile();
    writeFileSync(file, '{"format":1,"state":{"agents":');
    await expect(startEmulator({ port: 0, dataFile: file })).rejects.toThrow(file);
    writeFileSync(file, "[1,2,3]");
    await expect(startEmulator({ port: 0, dataFile: file })).rejects.toThrow(file);
    // A refused start leaves no lock behind.
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test("tmp files of dead processes are removed on start; those of live ones are kept", async () => {
    const file = dataFile();
    const dead = `${file}.${await deadPid()}.tmp`;
    const live = `${file}.${process.ppid}.tmp`;
    writeFileSync(dead, "partial");
    writeFileSync(live, "someone else's");
    await start({ dataFile: file });
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

describe("idempotency records in the data file", () => {
  test("cannot confirm a guessed request body or token, and still replay after a restart", async () => {
    const file = dataFile();
    const token = "pt-guessable-token";
    const first = await start({ dataFile: file, token });
    const raw = JSON.stringify({ display_name: "v", credentials: [{ mcp_server_url: "https://mcp.example", protocol: "sse", type: "static_bearer", access_token: "pt-secret-1234" }] });
    const headers = { "content-type": "application/json", "Idempotency-Key": "vault-1" };
    const created = await first.api("POST", "/vaults", raw, headers);
    expect(created.status).toBe(201);
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(sha(`POST /api/v1/cloud/vaults\n${raw}`));
    expect(text).not.toContain(sha(token).slice(0, 16));
    expect(text).not.toContain("pt-secret-1234");

    await stop(first.emu);
    const second = await start({ dataFile: file, token });
    const replay = await second.api("POST", "/vaults", raw, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(created.body.id);
  });
});
