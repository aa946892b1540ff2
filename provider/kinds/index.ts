import { agentKind } from "./agent";
import { environmentKind } from "./environment";
import type { Kind } from "./kind";
import { memoryKind } from "./memory";
import { memoryStoreKind } from "./memory-store";
import { skillKind } from "./skill";
import { vaultKind } from "./vault";
import { vaultCredentialKind } from "./vault-credential";

export const kinds: Record<string, Kind> = Object.fromEntries(
  [agentKind, environmentKind, skillKind, vaultKind, vaultCredentialKind, memoryStoreKind, memoryKind].map((k) => [k.name, k]),
);

export type KindName = "agent" | "environment" | "skill" | "vault" | "vaultCredential" | "memoryStore" | "memory";
