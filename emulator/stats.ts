export interface LogEntry {
  seq: number;
  time: number;
  method: string;
  route: string;
  path: string;
  /** 0 while the request is in flight, and for connections reset by a fault. */
  status: number;
  idempotencyKey?: string;
  fault?: string;
}

const LOG_SIZE = 5000;

/**
 * Request counters for tests (GET /_emulator/stats); admin requests are not counted.
 * A request is counted when it arrives (so a slow request cannot land in a later test's window)
 * and its status is filled in when it is answered.
 */
export class Stats {
  private seq = 0;
  total = 0;
  byMethod: Record<string, number> = {};
  byRoute: Record<string, Record<string, number>> = {};
  writes = 0;
  log: LogEntry[] = [];

  begin(entry: Pick<LogEntry, "method" | "route" | "path" | "idempotencyKey">): LogEntry {
    this.total++;
    this.byMethod[entry.method] = (this.byMethod[entry.method] ?? 0) + 1;
    if (entry.method !== "GET") this.writes++;
    const logged: LogEntry = { seq: ++this.seq, time: performance.timeOrigin + performance.now(), ...entry, status: 0 };
    if (!logged.idempotencyKey) delete logged.idempotencyKey;
    this.log.push(logged);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
    return logged;
  }

  end(entry: LogEntry, status: number, fault?: string): void {
    entry.status = status;
    if (fault) entry.fault = fault;
    const route = (this.byRoute[`${entry.method} ${entry.route}`] ??= {});
    route[status] = (route[status] ?? 0) + 1;
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
