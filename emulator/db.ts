import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { IdempotencyEntry } from "./idempotency";
import { emptyState, type State } from "./types";

interface DataFile {
  format: 1;
  state: State;
  idempotency: Record<string, IdempotencyEntry>;
}

/** In-memory state, optionally mirrored to a JSON file that is durable before a write is acknowledged. */
export class Db {
  state: State = emptyState();
  idempotency: Record<string, IdempotencyEntry> = {};

  /** True when no data file was loaded, i.e. this is the account's first start. */
  readonly fresh: boolean;

  constructor(private readonly file?: string) {
    this.fresh = !(file && existsSync(file));
    if (!this.fresh) {
      const data = JSON.parse(readFileSync(file as string, "utf8")) as DataFile;
      this.state = { ...emptyState(), ...data.state };
      this.idempotency = data.idempotency ?? {};
    }
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  reset(): void {
    this.state = emptyState();
    for (const k of Object.keys(this.idempotency)) delete this.idempotency[k];
    this.save();
  }

  /** tmp file + fsync + rename (+ fsync of the directory), so a crash leaves the old or the new file. */
  save(): void {
    if (!this.file) return;
    const data: DataFile = { format: 1, state: this.state, idempotency: this.idempotency };
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    const dir = openSync(dirname(this.file), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
