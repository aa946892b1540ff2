// Reads the zips the API returns (a skill's content) for adoption and export. The provider has
// its own reader rather than the emulator's: the emulator is an independent implementation of
// the API and nothing of ours may depend on it. Stored and deflated entries only, which is what
// zip tools and the API produce; inflation is bounded while it runs.
import * as zlib from "node:zlib";

export interface ZipFile {
  name: string;
  /** The entry's bytes; throws when they would pass `maxBytes`, or on a corrupt entry. */
  read(maxBytes: number): Buffer;
}

const END_OF_CENTRAL_DIR = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** The archive's entries, or undefined when `buf` is not a zip this reader understands. */
export function zipEntries(buf: Buffer): ZipFile[] | undefined {
  const end = findEndRecord(buf);
  if (end < 0) return undefined;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL_ENTRY) return undefined;
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const packed = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    entries.push({ name, read: (max) => readEntry(buf, { name, method, crc, packed, local }, max) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndRecord(buf: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIR) return i;
  }
  return -1;
}

interface EntryInfo {
  name: string;
  method: number;
  crc: number;
  packed: number;
  local: number;
}

function readEntry(buf: Buffer, e: EntryInfo, maxBytes: number): Buffer {
  if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== LOCAL_ENTRY) throw new Error("corrupt entry header");
  const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
  const data = buf.subarray(start, start + e.packed);
  if (data.length !== e.packed) throw new Error("truncated entry");
  let out: Buffer;
  if (e.method === STORED) out = data;
  else if (e.method === DEFLATED) {
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    } catch (err) {
      const tooBig = (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
      throw new Error(tooBig ? `inflates past ${maxBytes} bytes` : "corrupt deflate stream");
    }
  } else throw new Error(`compression method ${e.method} is not supported`);
  if (out.length > maxBytes) throw new Error(`inflates past ${maxBytes} bytes`);
  if (zlib.crc32(out) >>> 0 !== e.crc) throw new Error("CRC mismatch");
  return out;
}
