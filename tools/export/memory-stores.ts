// memory-stores/<key>.yaml (name, description, metadata) and one file per memory below
// memory-stores/<key>/memories/, at the memory's own path.
import { fromApi, toApiKey } from "../../provider/casing";
import { isEmpty } from "../../provider/json";
import { memorySchema } from "../../provider/kinds/memory";
import { memoryStoreSchema } from "../../provider/kinds/memory-store";
import type { LiveMemoryStore } from "./account";
import { memoryFile, memoryStoreFile } from "./layout";
import { place, schemaProblems, subject, type ExportPlan } from "./plan";
import { mapping, toYaml } from "./yaml";

const ORDER = Object.keys(memoryStoreSchema.shape).filter((k) => k !== "adoptId").map(toApiKey);
/** Any well-formed store id: the memory schema checks the path and content only. */
const SOME_STORE = `memstore_${"0".repeat(32)}`;

export interface MemoryStoreContext {
  keys: Map<string, string>;
  includeArchived: boolean;
}

export function exportMemoryStore({ store, memories = [] }: LiveMemoryStore, ctx: MemoryStoreContext, plan: ExportPlan): void {
  const placed = place("memory store", store, store.name, ctx, plan, memoryStoreFile);
  if (!placed) return;
  const { who, archived, key, file } = placed;
  const values: Record<string, unknown> = { name: store.name === key ? undefined : store.name, description: store.description, metadata: store.metadata };
  const settings = mapping(ORDER.map((k) => [k, values[k]]));
  const problems = schemaProblems(memoryStoreSchema, fromApi({ name: store.name, ...settings }));
  if (problems.length) return plan.refuse(who, problems);
  plan.write(file, toYaml(settings));
  plan.counts["memory-stores"]++;
  if (archived) plan.notes.push({ subject: who, detail: `archived: ${file} has no recorded id, so \`pulumi up\` creates a new store and seeds its memories` });
  else plan.ids.set(file, store.id);

  const seen = new Map<string, string>(); // folded path (and every folder above it) → the memory using it
  for (const m of [...memories].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const mine = subject("memory", `${store.name}/${m.path}`, m.id);
    const why = [...schemaProblems(memorySchema, { storeId: SOME_STORE, path: m.path, content: m.content ?? "" }, "path/content"), ...fileProblems(m.path, seen)];
    // Seed files carry no metadata: metadata on a memory would be cleared by a replacement.
    if (!isEmpty(m.metadata)) why.push("metadata: seed memory files cannot carry metadata");
    if (why.length) {
      plan.refuse(mine, why);
      continue;
    }
    const path = memoryFile(key, m.path);
    plan.write(path, m.content ?? "");
    plan.counts.memories++;
    if (!archived) plan.ids.set(path, m.id);
  }
}

/**
 * Can this path be a file in a checkout? The Fleet skips hidden names; macOS and Windows fold
 * case; and a path cannot be both a file and a folder (`a` and `a/b`).
 */
function fileProblems(memoryPath: string, seen: Map<string, string>): string[] {
  const parts = memoryPath.split("/");
  if (parts.some((p) => p.startsWith("."))) return ["path: a name starting with \".\" is hidden, and the Fleet skips hidden files"];
  const folded = memoryPath.toLowerCase();
  const clash = seen.get(folded) ?? seen.get(`${folded}/`);
  const dirs = parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join("/").toLowerCase()}`);
  const dirClash = dirs.map((d) => seen.get(d)).find((x) => x !== undefined);
  if (clash ?? dirClash) return [`path: clashes with the memory at ${clash ?? dirClash} (one file on case-insensitive disks, or a file where a folder must be)`];
  seen.set(folded, memoryPath);
  for (const d of dirs) seen.set(`${d}/`, memoryPath);
  return [];
}
