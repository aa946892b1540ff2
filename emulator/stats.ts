export interface LogEntry {
  seq: number;
  time: number;
  method: string;
  route: string;
  path: string;
  status: number;
  idempotencyKey?: string;
  fault?: string;
}

const LOG_SIZE = 5000;

/** Request counters for tests (GET /_emulator/stats); admin requests are not counted. */
export class Stats {
  private seq = 0;
  total = 0;
  byMethod: Record<string, number> = {};
  byRoute: Record<string, Record<string, number>> = {};
  writes = 0;
  log: LogEntry[] = [];

  record(entry: Omit<LogEntry, "seq" | "time">): void {
    this.total++;
    this.byMethod[entry.method] = (this.byMethod[entry.method] ?? 0) + 1;
    const route = (this.byRoute[`${entry.method} ${entry.route}`] ??= {});
    route[entry.status] = (route[entry.status] ?? 0) + 1;
    if (entry.method !== "GET") this.writes++;
    this.log.push({ seq: ++this.seq, time: performance.timeOrigin + performance.now(), ...entry });
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
  }

  reset(): void {
    this.seq = this.total = this.writes = 0;
    this.byMethod = {};
    this.byRoute = {};
    this.log = [];
  }

  toJSON() {
    return { total: this.total, byMethod: this.byMethod, byRoute: this.byRoute, writes: this.writes, log: this.log };
  }
}
