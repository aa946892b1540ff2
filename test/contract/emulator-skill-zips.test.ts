// Hostile skill archives: bombs, unsafe entry names, symlinks, ambiguous SKILL.md, corrupt streams.
import { crc32, deflateRawSync } from "node:zlib";
import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api } = t;

interface RawEntry {
  name: string;
  /** Uncompressed bytes (deflated unless `deflated` is given). */
  data?: Buffer;
  /** Raw deflate bytes to store as-is (with `size`/`crc` as declared). */
  deflated?: Buffer;
  size?: number;
  crc?: number;
  /** Unix mode for the external attributes, e.g. 0o120777 for a symlink. */
  mode?: number;
}

/** A zip written byte by byte, so tests can build archives no well-behaved tool would. */
function zipOf(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    const packed = e.deflated ?? deflateRawSync(data);
    const name = Buffer.from(e.name);
    const crc = e.crc ?? crc32(data);
    const size = e.size ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode is read
    local.copy(central, 6, 4, 30);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const SKILL = { name: "SKILL.md", data: Buffer.from("---\nname: safe-skill\ndescription: d\n---\n# Body\n") };
const MiB = 1024 * 1024;

function upload(bytes: Buffer, fields: Record<string, string> = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append("file", new Blob([new Uint8Array(bytes)]), "skill.zip");
  return api("POST", "/skills", fd);
}

const updateWith = (id: string, bytes: Buffer) => api("PUT", `/skills/${id}`, { content: bytes.toString("base64"), content_encoding: "base64" });

describe("skill zip bounds", () => {
  test("a well-formed archive is still accepted", async () => {
    const res = await upload(zipOf([SKILL, { name: "templates/" }, { name: "templates/a.txt", data: Buffer.from("x") }]));
    expect(res.status).toBe(201);
  });

  test("an entry that inflates past the per-entry limit is refused with 400", async () => {
    // ~20 KB on the wire, 20 MiB inflated (above the 16 MiB per-entry limit).
    const zeros = Buffer.alloc(20 * MiB);
    const bomb = { name: "SKILL.md", deflated: deflateRawSync(zeros), size: zeros.length, crc: crc32(zeros) };
    const started = Date.now();
    const res = await upload(zipOf([bomb]), { name: "bomb" });
    expect(errorOf(res)).toMatchObject({ status: 400, type: "invalid_request_error", param: "file" });
    expect(res.body.error.message).toMatch(/uncompressed/i);
    // The declared size is the attacker's word: inflation itself is bounded.
    const liar = await upload(zipOf([{ ...bomb, size: 100 }]), { name: "liar" });
    expect(errorOf(liar)).toMatchObject({ status: 400, type: "invalid_request_error", param: "file" });
    expect(liar.body.error.message).toMatch(/uncompressed/i);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("entries that together inflate past the total limit are refused with 400, on create and update", async () => {
    const chunk = Buffer.alloc(15 * MiB);
    const packed = deflateRawSync(chunk);
    // Declared sizes are small, so only counting while inflating catches the total.
    const entries = [SKILL, ...[1, 2, 3, 4, 5].map((i) => ({ name: `blob${i}.bin`, deflated: packed, size: 1, crc: crc32(chunk) }))];
    const bomb = zipOf(entries);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(errorOf(await upload(bomb))).toMatchObject({ status: 400, param: "file" });
    const { body: skill } = await upload(zipOf([SKILL]));
    expect(errorOf(await updateWith(skill.id, bomb))).toMatchObject({ status: 400, param: "content" });
  });
});

describe("unsafe entries", () => {
  const cases: Array<[string, RawEntry[]]> = [
    ["a parent-directory SKILL.md", [{ name: "../SKILL.md", data: SKILL.data }]],
    ["a path escaping to /etc", [SKILL, { name: "../../etc/cron.d/x", data: Buffer.from("* * * * * root sh") }]],
    ["an absolute path", [SKILL, { name: "/etc/passwd", data: Buffer.from("x") }]],
    ["a Windows drive path", [SKILL, { name: "C:/Windows/x", data: Buffer.from("x") }]],
    ["a backslash traversal", [SKILL, { name: "..\\..\\x", data: Buffer.from("x") }]],
    ["a NUL in a name", [SKILL, { name: "a\u0000b", data: Buffer.from("x") }]],
    ["a symlink entry", [SKILL, { name: "link", data: Buffer.from("/etc/passwd"), mode: 0o120777 }]],
    ["a symlink SKILL.md", [{ ...SKILL, data: Buffer.from("/etc/passwd"), mode: 0o120777 }]],
    ["two SKILL.md files", [SKILL, { name: "other/SKILL.md", data: SKILL.data }]],
    ["the same name twice", [SKILL, { name: "x.txt", data: Buffer.from("1") }, { name: "x.txt", data: Buffer.from("2") }]],
  ];
  test.each(cases)("%s → 400 on create and update", async (_label, entries) => {
    const bytes = zipOf(entries);
    expect(errorOf(await upload(bytes, { name: "evil" }))).toMatchObject({ status: 400, type: "invalid_request_error", param: "file" });
    const { body: skill } = await upload(zipOf([SKILL]));
    expect(errorOf(await updateWith(skill.id, bytes))).toMatchObject({ status: 400, type: "invalid_request_error", param: "content" });
  });

  test("a corrupt deflate stream or a CRC mismatch → 400 'Only .zip files are accepted.', no stack trace", async () => {
    const corrupt = zipOf([{ name: "SKILL.md", deflated: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), size: 100, crc: 1 }]);
    const res = await upload(corrupt, { name: "corrupt" });
    expect(errorOf(res)).toEqual({ status: 400, type: "invalid_request_error", param: "file", message: "Only .zip files are accepted." });
    expect(res.text).not.toMatch(/\bat .*\.js:\d+/);
    const badCrc = zipOf([{ ...SKILL, crc: 12345 }]);
    expect(errorOf(await upload(badCrc, { name: "crc" }))).toMatchObject({ status: 400, message: "Only .zip files are accepted." });
    expect((await api("GET", "/skills")).status).toBe(200);
  });
});
