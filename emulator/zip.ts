import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";

// Minimal zip support: enough to read skill uploads (stored + deflate, no zip64/encryption)
// and to build archives in tests and tools.

export interface ZipEntry {
  name: string;
  /** Unix file mode from the external attributes, when the archive was made on Unix. */
  mode?: number;
  /** Bit 0 = encrypted. */
  flags: number;
  /** Declared uncompressed size (attacker-controlled: `read` does not trust it). */
  size: number;
  /**
   * The entry's bytes. Inflation stops as soon as the output would pass `maxBytes` (ZipLimitError);
   * a corrupt stream or a CRC mismatch throws ZipCorruptError.
   */
  read(maxBytes?: number): Buffer;
}

/** The entry inflates to more than the caller allowed. */
export class ZipLimitError extends Error {}
/** The entry's data is not a valid stream for its method, or fails its CRC. */
export class ZipCorruptError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MADE_BY_UNIX = 3;

function inflateBounded(data: Buffer, maxBytes: number): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new ZipLimitError(`entry inflates past ${maxBytes} bytes`);
    throw new ZipCorruptError((e as Error).message);
  }
}

function entryReader(data: Buffer, method: number, crc: number): (maxBytes?: number) => Buffer {
  return (maxBytes = Number.MAX_SAFE_INTEGER) => {
    if (method === 0 && data.length > maxBytes) throw new ZipLimitError(`entry is larger than ${maxBytes} bytes`);
    const out = method === 0 ? Buffer.from(data) : inflateBounded(data, maxBytes);
    if (crc32(out) !== crc) throw new ZipCorruptError("CRC mismatch");
    return out;
  };
}

/** The entries of a zip archive, or undefined when `buf` is not a readable zip. */
export function readZip(buf: Buffer): ZipEntry[] | undefined {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  try {
    for (let n = 0; n < count; n++) {
      if (buf.readUInt32LE(p) !== CENTRAL) return undefined;
      const madeBy = buf.readUInt16LE(p + 4) >> 8;
      const flags = buf.readUInt16LE(p + 8);
      const method = buf.readUInt16LE(p + 10);
      const crc = buf.readUInt32LE(p + 16);
      const compressed = buf.readUInt32LE(p + 20);
      const size = buf.readUInt32LE(p + 24);
      const nameLen = buf.readUInt16LE(p + 28);
      const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
      const external = buf.readUInt32LE(p + 38);
      const local = buf.readUInt32LE(p + 42);
      const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
      if (buf.readUInt32LE(local) !== LOCAL || (method !== 0 && method !== 8)) return undefined;
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      if (start + compressed > buf.length) return undefined; // truncated
      const data = buf.subarray(start, start + compressed);
      const mode = madeBy === MADE_BY_UNIX ? external >>> 16 : undefined;
      entries.push({ name, mode, flags, size, read: entryReader(data, method, crc) });
      p += 46 + skip;
    }
  } catch {
    return undefined; // offsets outside the buffer: truncated or not a zip
  }
  return entries;
}

/** Builds a deflated zip archive from `{path: content}`. */
export function createZip(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const raw = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const data = deflateRawSync(raw);
    const nameBuf = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(crc32(raw), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(raw.length, 22);
    header.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    header.copy(central, 6, 4, 30); // version needed .. name length mirror the local header
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += header.length + nameBuf.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
