// Resource specs for the `reliability` and `bench` programs (no Pulumi import: tests use them too).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type ResourceType = "Agent" | "Environment" | "Skill" | "Vault" | "VaultCredential" | "MemoryStore" | "Memory";

export interface ResourceSpec {
  type: ResourceType;
  name: string;
  /** `{ ref: "otherName.output" }` anywhere inside is replaced by that resource's output. */
  args: Record<string, unknown>;
  opts?: { retainOnDelete?: boolean; ignoreChanges?: string[] };
}

/** The output that carries each type's API id. */
export const ID_OUTPUT: Record<ResourceType, string> = {
  Agent: "agentId",
  Environment: "environmentId",
  Skill: "skillId",
  Vault: "vaultId",
  VaultCredential: "credentialId",
  MemoryStore: "memoryStoreId",
  Memory: "memoryId",
};

/** A skill directory (SKILL.md with frontmatter) in a fresh temp dir. */
export function makeSkillDir(name = "helper", body = "Helps."): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-skill-"));
  fs.writeFileSync(path.join(dir, "SKILL.md"), `---\nname: ${name}\ndescription: ${body}\n---\n\n# ${name}\n\n${body}\n`);
  return dir;
}

export interface StackShape {
  agents: number;
  /** Add one of every other kind: environment, skill, vault (with a credential), a standalone
   * vault credential, a memory store and a memory. */
  others: boolean;
  skillDir?: string;
  vaultToken?: string;
  credentialToken?: string;
  /**
   * Where the standalone VaultCredential goes: a vault made outside the stack. A Pulumi-managed
   * Vault owns every credential in it (refresh lists them all), so a VaultCredential must not
   * share one (README: "a vault managed elsewhere").
   */
  outsideVaultId?: string;
}

export function agentSpec(i: number): ResourceSpec {
  return {
    type: "Agent",
    name: `agent-${i}`,
    args: { name: `agent-${i}`, model: "ultimate", system: `You are agent ${i}.`, metadata: { team: "bench" }, deletionPolicy: "delete" },
  };
}

/** One skill directory per process when the shape names none (same content, same hash). */
let defaultSkillDir: string | undefined;

/** N agents plus, optionally, one of each other kind (7 kinds, up to 6 + N resources). */
export function stackSpecs(shape: StackShape): ResourceSpec[] {
  const specs: ResourceSpec[] = [];
  for (let i = 0; i < shape.agents; i++) specs.push(agentSpec(i));
  if (!shape.others) return specs;
  const vaultToken = shape.vaultToken ?? "vault-token-not-secret-in-bench";
  const credentialToken = shape.credentialToken ?? "cred-token-not-secret-in-bench";
  specs.push(
    { type: "Environment", name: "env", args: { name: "env", config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com"] } }, deletionPolicy: "delete" } },
    { type: "Skill", name: "skill", args: { source: shape.skillDir ?? (defaultSkillDir ??= makeSkillDir()) } },
    {
      type: "Vault",
      name: "vault",
      args: { displayName: "vault", credentials: [{ mcpServerUrl: "https://mcp.example.com/a", token: vaultToken }] },
    },
    { type: "MemoryStore", name: "store", args: { name: "store", description: "Team notes.", deletionPolicy: "delete" } },
    { type: "Memory", name: "memory", args: { storeId: { ref: "store.memoryStoreId" }, path: "notes/team.md", content: "Be kind." } },
  );
  if (shape.outsideVaultId) {
    specs.push({ type: "VaultCredential", name: "cred", args: { vaultId: shape.outsideVaultId, mcpServerUrl: "https://mcp.example.com/b", token: credentialToken } });
  }
  return specs;
}

/** "kind label" of each object `stackSpecs` declares (the inventory's form), sorted. */
export function declaredLabels(shape: StackShape): string[] {
  const labels = [...Array(shape.agents).keys()].map((i) => `agent agent-${i}`);
  if (shape.others) {
    labels.push("environment env", "skill helper", "vault vault", "credential https://mcp.example.com/a", "memoryStore store", "memory notes/team.md");
    if (shape.outsideVaultId) labels.push("vault outside", "credential https://mcp.example.com/b");
  }
  return labels.sort();
}
