import { badRequest } from "./errors";
import { isObject, type Json } from "./validate";
import { parseStreamFaults, type StreamFaultConfig } from "./stream-faults";

export interface FaultConfig {
  latencyMs?: number;
  errorRate?: number;
  errorStatus?: 503 | 429;
  retryAfterSeconds?: number;
  resetRate?: number;
  burst?: { count: number };
  malformedRate?: number;
  methods?: string[];
  seed?: number;
  /** Session event stream faults (emulator/stream-faults.ts). */
  stream?: StreamFaultConfig;
}

export type FaultKind = "503" | "429" | "reset" | "burst" | "malformed";

function num(cfg: Json, key: string, max = Infinity): number | undefined {
  const v = cfg[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) {
    throw badRequest(`${key} must be a number between 0 and ${max}.`, key);
  }
  return v;
}

/** Validates a fault config (PUT /_emulator/faults body or CLI flags); `{}` means no faults. */
export function parseFaults(cfg: unknown): FaultConfig {
  if (!isObject(cfg)) throw badRequest("Fault config must be a JSON object.");
  const out: FaultConfig = {
    latencyMs: num(cfg, "latencyMs"),
    errorRate: num(cfg, "errorRate", 1),
    retryAfterSeconds: num(cfg, "retryAfterSeconds"),
    resetRate: num(cfg, "resetRate", 1),
    malformedRate: num(cfg, "malformedRate", 1),
    seed: num(cfg, "seed"),
  };
  if (cfg.errorStatus !== undefined) {
    if (cfg.errorStatus !== 503 && cfg.errorStatus !== 429) throw badRequest("errorStatus must be 503 or 429.", "errorStatus");
    out.errorStatus = cfg.errorStatus;
  }
  if (cfg.burst !== undefined) {
    const count = isObject(cfg.burst) ? cfg.burst.count : undefined;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) throw badRequest("burst.count must be a non-negative integer.", "burst");
    out.burst = { count };
  }
  if (cfg.methods !== undefined) {
    if (!Array.isArray(cfg.methods) || !cfg.methods.every((m) => typeof m === "string")) throw badRequest("methods must be an array of strings.", "methods");
    out.methods = cfg.methods.map((m: string) => m.toUpperCase());
  }
  if (cfg.stream !== undefined) out.stream = parseStreamFaults(cfg.stream);
  return JSON.parse(JSON.stringify(out)) as FaultConfig; // drop undefined keys
}

/** mulberry32: a tiny seeded PRNG so fault sequences can be reproduced. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gateway-style faults, decided per API request before it is executed. */
export class Faults {
  private cfg: FaultConfig = {};
  private burstLeft = 0;
  private random: () => number = Math.random;

  get config(): FaultConfig {
    return { ...this.cfg, ...(this.cfg.burst ? { burst: { count: this.burstLeft } } : {}) };
  }

  set(cfg: FaultConfig): void {
    this.cfg = cfg;
    this.burstLeft = cfg.burst?.count ?? 0;
    this.random = cfg.seed !== undefined ? seeded(cfg.seed) : Math.random;
  }

  applies(method: string): boolean {
    return !this.cfg.methods || this.cfg.methods.includes(method);
  }

  latency(method: string): number {
    return this.applies(method) ? (this.cfg.latencyMs ?? 0) : 0;
  }

  decide(method: string): FaultKind | undefined {
    if (!this.applies(method)) return undefined;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      return "burst";
    }
    const roll = (rate?: number) => rate !== undefined && rate > 0 && this.random() < rate;
    if (roll(this.cfg.resetRate)) return "reset";
    if (roll(this.cfg.errorRate)) return this.cfg.errorStatus === 429 ? "429" : "503";
    if (roll(this.cfg.malformedRate)) return "malformed";
    return undefined;
  }

  retryAfter(kind: FaultKind): string | undefined {
    const s = this.cfg.retryAfterSeconds ?? (kind === "burst" ? 1 : undefined);
    return s === undefined ? undefined : String(s);
  }
}
