// The provider's own zip reader (adoption and export read the skill zips the API returns).
import { createZip } from "../../emulator/zip";
import { zipEntries } from "../../provider/zip-read";

const read = (zip: Buffer, max = 1 << 20) => Object.fromEntries((zipEntries(zip) ?? []).map((e) => [e.name, e.read(max).toString()]));

test("reads deflated entries as written", () => {
  const zip = createZip({ "SKILL.md": "---\nname: a\n---\nbody", "scripts/run.sh": "echo hi\n" });
  expect(read(zip)).toEqual({ "SKILL.md": "---\nname: a\n---\nbody", "scripts/run.sh": "echo hi\n" });
});

test("not a zip, a corrupt stream and a CRC mismatch are refused, not crashed on", () => {
  expect(zipEntries(Buffer.from("plain text, long enough to hold an end record........"))).toBeUndefined();
  const zip = createZip({ "a.txt": "hello hello hello hello" });
  const corrupt = Buffer.from(zip);
  corrupt[30 + "a.txt".length] ^= 0xff; // first byte of the deflate stream
  expect(() => zipEntries(corrupt)![0].read(1 << 20)).toThrow(/corrupt deflate stream|CRC mismatch/);
  const badCrc = Buffer.from(zip);
  const central = badCrc.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  badCrc.writeUInt32LE(0, central + 16);
  expect(() => zipEntries(badCrc)![0].read(1 << 20)).toThrow(/CRC mismatch/);
});

test("inflation stops at the caller's bound", () => {
  const zip = createZip({ "big.bin": Buffer.alloc(4 << 20) }); // 4 MiB of zeros deflates to a few KB
  expect(zip.length).toBeLessThan(64 << 10);
  expect(() => zipEntries(zip)![0].read(1 << 20)).toThrow(/inflates past 1048576 bytes/);
});
