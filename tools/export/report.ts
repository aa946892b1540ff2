// The export's report as text for a terminal: what was written, and everything a reviewer must
// know before the first `pulumi up`. Never a secret: tokens are not readable from the API anyway.
import { KINDS } from "./layout";
import type { ExportPlan, Finding } from "./plan";

const LABELS = { agents: "agents", environments: "environments", skills: "skills", vaults: "vaults", "memory-stores": "memory stores", memories: "memories" } as const;

function section(title: string, lines: string[]): string[] {
  return lines.length ? ["", `${title}:`, ...lines.map((l) => `  ${l}`)] : [];
}

const findingLines = (list: Finding[]) => list.map((f) => `${f.subject}: ${f.detail}`);

export function summary(plan: ExportPlan): string {
  return [...KINDS, "memories" as const].map((k) => `${LABELS[k]} ${plan.counts[k]}`).join(", ");
}

export function reportText(plan: ExportPlan): string {
  const secrets = plan.secrets.map((s) => `pulumi config set --secret ${s.key}    # ${s.file}: the token for ${s.url}`);
  return [
    ...section("Names that clash (all exported; file names made unique with the id's tail)", plan.clashes.map((c) => c.text)),
    ...section("Skipped", findingLines(plan.skipped)),
    ...section("Cannot be expressed in a Fleet yet (not written; the first `up` would change them)", findingLines(plan.cannot)),
    ...section("Notes", findingLines(plan.notes)),
    ...section("Vault tokens are write-only and were not exported; set each before `pulumi up` (the command prompts for the value)", secrets),
  ].join("\n");
}
