// Skills whose inputs come from the test (QODER_E2E_ARGS).
import * as qoder from "../../../provider";

export default function program(args: { skills?: Record<string, qoder.SkillArgs> }) {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(args.skills ?? {})) {
    const s = new qoder.Skill(name, a);
    out[name] = { skillId: s.skillId, version: s.version, contentSha256: s.contentSha256, name: s.name, description: s.description };
  }
  return out;
}
