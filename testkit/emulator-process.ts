// A real emulator process on a free loopback port, as users run it (`qoder-emulator`).
import { spawn, type ChildProcess } from "node:child_process";
import { EMULATOR_CLI } from "./paths";

export interface EmulatorStats {
  total: number;
  writes: number;
  byMethod: Record<string, number>;
  byRoute: Record<string, Record<string, number>>;
  log: Array<{ method: string; route: string; path: string; status: number; time: number; idempotencyKey?: string; fault?: string }>;
}

export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly origin: string,
    readonly token: string,
    readonly output: () => string,
  ) {}

  static async start(args: string[] = [], token = "pt-e2e-" + Math.random().toString(16).slice(2)): Promise<EmulatorProcess> {
    const child = spawn(process.execPath, [EMULATOR_CLI, "--port", "0", "--token", token, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 20000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
    });
    const origin = new URL(url).origin;
    return new EmulatorProcess(child, url, origin, token, () => out);
  }

  /** A call on the admin surface (`/_emulator/<path>`) with the emulator's token. */
  async admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.origin}/_emulator/${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }

  stats(): Promise<EmulatorStats> {
    return this.admin("GET", "stats");
  }
  resetStats(): Promise<void> {
    return this.admin("POST", "stats/reset");
  }
  setFaults(faults: Record<string, unknown>): Promise<void> {
    return this.admin("PUT", "faults", faults);
  }
  reset(): Promise<void> {
    return this.admin("POST", "reset");
  }
  /** Everything the emulator holds (`GET /_emulator/state`), secrets as it stores them. */
  state(): Promise<unknown> {
    return this.admin("GET", "state");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

/** Writes seen by the emulator, by "METHOD route" (GETs excluded). */
export function writesOf(s: EmulatorStats): string[] {
  return s.log.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.route}`);
}
