// The file lifecycle with the real Pulumi CLI against a real emulator process: files have no
// update, so an edit previews and applies as a replacement of exactly that file.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { NotFoundError } from "../../sdk";
import { eventOf, expectNoDrift, expectRefreshKeepsState, useKit, withWrites } from "../../testkit/kit";

const kit = useKit("file");
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

test("create, no-drift, edit = replace of that file only, destroy", async () => {
  const { api, stack } = kit;
  // Sources are relative to the program: the project directory the CLI runs in.
  fs.mkdirSync(path.join(stack.projectDir, "docs"), { recursive: true });
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(stack.projectDir, rel), text);
  write("docs/style.md", "# Style\n\nShort sentences.\n");
  write("docs/data.csv", "a,b\n1,2\n");
  stack.setArgs({ files: { style: { source: "docs/style.md", metadata: { team: "docs" } }, data: { source: "docs/data.csv", name: "numbers.csv", purpose: "session_resource" } } });

  // 1. create: one upload each, outputs from the server's answer
  const up = await withWrites(kit, () => stack.up());
  expect(up.result.summary).toEqual({ create: 3 });
  expect(up.writes).toEqual(["POST /files", "POST /files"]);
  const out = up.result.outputs!;
  const styleId = out.style.fileId as string;
  expect(out.style).toEqual({ fileId: styleId, name: "style.md", sizeBytes: 26, mimeType: "text/markdown", contentSha256: sha("# Style\n\nShort sentences.\n"), purpose: "user_upload" });
  expect(out.data).toMatchObject({ name: "numbers.csv", sizeBytes: 8, mimeType: "text/csv", purpose: "session_resource" });
  expect(await api.files.get(styleId)).toMatchObject({ filename: "style.md", size_bytes: 26, purpose: "user_upload", metadata: { team: "docs" } });

  // 2. no-drift: preview, and a refresh keeps the state exactly
  await expectNoDrift(kit);
  await expectRefreshKeepsState(kit, "File");
  await expectNoDrift(kit, true);

  // 3. edit one file: the preview replaces exactly that File; up uploads a new one, deletes the old
  write("docs/style.md", "# Style\n\nShort sentences. Active voice.\n");
  const plan = await stack.preview();
  expect(plan.summary).toEqual({ same: 2, replace: 1 });
  // The engine lists the keys of a step in no fixed order (CI saw both): compared as a set.
  const step = eventOf(plan, "File", "style");
  expect({ op: step.op, keys: [...step.keys].sort() }).toEqual({ op: "create-replacement", keys: ["contentSha256", "sizeBytes"] });
  const replaced = await withWrites(kit, () => stack.up());
  expect(replaced.result.summary).toMatchObject({ replace: 1 });
  expect(replaced.writes).toEqual(["POST /files", "DELETE /files/{id}"]);
  const newId = replaced.result.outputs!.style.fileId as string;
  expect(newId).not.toBe(styleId);
  await expect(api.files.get(styleId)).rejects.toBeInstanceOf(NotFoundError);
  expect(await api.files.get(newId)).toMatchObject({ size_bytes: 40, metadata: { team: "docs" } });
  expect(replaced.result.outputs!.data.fileId).toBe(out.data.fileId);
  await expectNoDrift(kit);

  // 4. destroy: files cannot be archived, so destroy deletes
  const dataId = out.data.fileId as string;
  expect((await withWrites(kit, () => stack.destroy())).writes).toEqual(["DELETE /files/{id}", "DELETE /files/{id}"]);
  await expect(api.files.get(newId)).rejects.toBeInstanceOf(NotFoundError);
  await expect(api.files.get(dataId)).rejects.toBeInstanceOf(NotFoundError);
});
