import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { DataFileLock, removeStaleTmpFiles } from "./data-lock";
import { emptyIdempotency, newIdempotencySecret, secretId, type IdempotencyEntry } from "./idempotency";
import { emptyState, fromStored, idMap, type State } from "./types";
import { isObject } from "./validate";

const FORMAT = 2;

interface DataFile {
  format: typeof FORMAT;
  state: State;
  idempotency: Record<string, IdempotencyEntry>;
  /** Which idempotency secret the records were made with (an HMAC of a constant, not the secret). */
  idempotency_key_id: string;
}

/** The state could not be made durable; the in-memory state has been put back. */
export class SaveError extends Error {}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** tmp file + fsync + rename (+ fsync of the directory), so a crash leaves the old or the new file. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing more to clean up
    }
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  fsyncPath(dirname(file), "r");
}

/**
 * The idempotency HMAC secret lives next to the data file (`<file>.idempotency-key`, mode 600),
 * never in it: the data file alone cannot confirm a guess about a request body.
 */
function loadOrCreateSecret(file: string): Buffer {
  const path = `${file}.idempotency-key`;
  if (existsSync(path)) {
    const hex = readFileSync(path, "utf8").trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, "hex");
  }
  const secret = newIdempotencySecret();
  writeAtomically(path, secret.toString("hex"));
  return secret;
}

function readDataFile(file: string, keyId: string): { state: State; idempotency: Record<string, IdempotencyEntry> } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`data file ${file} cannot be read as JSON (${message(e)}); fix it or move it away`);
  }
  if (!isObject(data) || !isObject(data.state) || (data.format !== 1 && data.format !== FORMAT)) {
    throw new Error(`data file ${file} is not a qoder-emulator data file (expected {"format":${FORMAT},"state":{…}}); fix it or move it away`);
  }
  // Records made under another secret (or format 1's plain hashes) cannot be verified: drop them.
  const sameKey = data.idempotency_key_id === keyId && isObject(data.idempotency);
  const idempotency = sameKey ? idMap(data.idempotency as Record<string, IdempotencyEntry>) : emptyIdempotency();
  return { state: fromStored(data.state), idempotency };
}

/**
 * In-memory state, optionally mirrored to a JSON file. Every write ends in `commit` (durable, or
 * put back and refused) or `rollback`, so memory never holds a change the file does not.
 */
export class Db {
  state: State;
  idempotency: Record<string, IdempotencyEntry>;
  /** Key for idempotency scopes and fingerprints. */
  readonly secret: Buffer;
  /** True when no data file was loaded, i.e. this is the account's first start. */
  readonly fresh: boolean;
  /** The last committed state as serialized: what the data file holds, and what rollback restores. */
  private image: string;
  private readonly lock?: DataFileLock;

  constructor(private readonly file?: string) {
    this.lock = file ? DataFileLock.acquire(file) : undefined;
    try {
      if (file) removeStaleTmpFiles(file);
      this.secret = file ? loadOrCreateSecret(file) : newIdempotencySecret();
      const loaded = file && existsSync(file) ? readDataFile(file, secretId(this.secret)) : undefined;
      this.fresh = !loaded;
      this.state = loaded?.state ?? emptyState();
      this.idempotency = loaded?.idempotency ?? emptyIdempotency();
      this.image = this.serialize();
    } catch (e) {
      this.lock?.release();
      throw e;
    }
  }

  get persistent(): boolean {
    return this.file !== undefined;
  }

  /** Empties memory; the caller commits (or rolls back). */
  reset(): void {
    this.state = emptyState();
    this.idempotency = emptyIdempotency();
  }

  private serialize(): string {
    const data: DataFile = { format: FORMAT, state: this.state, idempotency: this.idempotency, idempotency_key_id: secretId(this.secret) };
    return JSON.stringify(data);
  }

  /** Makes the current state durable; if that fails, puts back the last committed state and throws SaveError. */
  commit(): void {
    let text: string;
    try {
      text = this.serialize();
      if (this.file) writeAtomically(this.file, text);
    } catch (e) {
      this.rollback();
      throw new SaveError(this.file ? `could not save ${this.file}: ${message(e)}` : `could not serialize the state: ${message(e)}`);
    }
    this.image = text;
  }

  /** Discards every change since the last commit. */
  rollback(): void {
    const data = JSON.parse(this.image) as DataFile;
    this.state = fromStored(data.state);
    this.idempotency = idMap(data.idempotency);
  }

  /** Releases the data file for another emulator. */
  close(): void {
    this.lock?.release();
  }
}
