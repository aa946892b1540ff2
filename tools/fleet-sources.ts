// The file under a Fleet's directory each resource comes from, so every report row names what
// a reviewer edits. A Fleet child records it in its inputs (`sourceFile`); for a state written
// before it did, the file follows from the child's name (`<fleet>-<kind>-<key>`) and the Fleet's
// directory from a skill's `source` (`qoder/skills/<key>`). `pulumi preview --json` leaves out
// unchanged resources (the Fleet itself, usually), so nothing here relies on the Fleet's step.
import type { StepEvent } from "./events";
import { resourceName } from "./report";

/** Where each kind's files live (the Fleet layout, README "Agents as files"). */
const LAYOUT: Record<string, (key: string) => string> = {
  agent: (k) => `agents/${k}.md`,
  env: (k) => `environments/${k}.yaml`,
  skill: (k) => `skills/${k}/`,
  vault: (k) => `vaults/${k}.yaml`,
  memstore: (k) => `memory-stores/${k}.yaml`,
  memory: (k) => `memory-stores/${k.slice(0, k.indexOf("/"))}/memories/${k.slice(k.indexOf("/") + 1)}`,
};
const CHILD = new RegExp(`^(.*?)-(${Object.keys(LAYOUT).join("|")})-(.+)$`);

function inputsOf(s: StepEvent): Record<string, unknown> {
  return s.new?.inputs ?? s.old?.inputs ?? {};
}

/** `sourceOf(step)`: the Fleet file of a child resource, or undefined outside a Fleet. */
export function fleetSources(steps: StepEvent[]): (s: StepEvent) => string | undefined {
  const dirs = new Map<string, string>();
  for (const s of steps) {
    const m = CHILD.exec(resourceName(s.urn));
    const source = inputsOf(s).source;
    if (m?.[2] === "skill" && typeof source === "string" && source.endsWith(`skills/${m[3]}`)) {
      dirs.set(m[1], source.slice(0, -`skills/${m[3]}`.length).replace(/\/$/, ""));
    }
  }
  return (s) => {
    const recorded = inputsOf(s).sourceFile;
    if (typeof recorded === "string") return recorded;
    if (!s.urn.includes("qoder:index:Fleet$")) return undefined;
    const m = CHILD.exec(resourceName(s.urn));
    if (!m || (m[2] === "memory" && !m[3].includes("/"))) return undefined;
    const dir = dirs.get(m[1]);
    return dir ? `${dir}/${LAYOUT[m[2]](m[3])}` : LAYOUT[m[2]](m[3]);
  };
}
