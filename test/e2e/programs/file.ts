// Files whose inputs come from the test (QODER_E2E_ARGS); sources relative to the project.
import * as qoder from "../../../provider";

export default function program(args: { files?: Record<string, qoder.FileArgs> }) {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(args.files ?? {})) {
    const f = new qoder.File(name, a);
    out[name] = { fileId: f.fileId, name: f.name, sizeBytes: f.sizeBytes, mimeType: f.mimeType, contentSha256: f.contentSha256, purpose: f.purpose };
  }
  return out;
}
