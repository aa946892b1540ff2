// The Fleet layout as the export writes it (docs/GITOPS.md "Fleet layout"): one folder per
// kind, and the ids the first `pulumi up` adopts in one file beside them.

/** Fleet folders, in the order the report lists them. */
export const KINDS = ["agents", "environments", "skills", "vaults", "memory-stores"] as const;
export type ExportKind = (typeof KINDS)[number];

export function isExportKind(k: string): k is ExportKind {
  return (KINDS as readonly string[]).includes(k);
}

/** Fleet-relative path → the id the first `up` adopts (the Fleet reads it: provider/fleet/adopt-ids.ts). */
export { IDS_FILE } from "../../provider/fleet/adopt-ids";

/** Seed memories of a store live below `memory-stores/<store>/memories/`. */
export const MEMORIES_FOLDER = "memories";

export const agentFile = (key: string) => `agents/${key}.md`;
export const environmentFile = (key: string) => `environments/${key}.yaml`;
export const skillDir = (key: string) => `skills/${key}`;
export const vaultFile = (key: string) => `vaults/${key}.yaml`;
export const memoryStoreFile = (key: string) => `memory-stores/${key}.yaml`;
export const memoryFile = (store: string, memoryPath: string) => `memory-stores/${store}/${MEMORIES_FOLDER}/${memoryPath}`;
