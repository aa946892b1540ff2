import { agentKind } from "./agent";
import { environmentKind } from "./environment";
import { fileKind } from "./file";
import type { AnyKind } from "./kind";
import { memoryKind } from "./memory";
import { memoryStoreKind } from "./memory-store";
import { skillKind } from "./skill";
import { vaultKind } from "./vault";
import { vaultCredentialKind } from "./vault-credential";

/** Every kind by the name the shim (and so `__provider` in state) knows it by. */
export const kinds = {
  agent: agentKind,
  environment: environmentKind,
  skill: skillKind,
  vault: vaultKind,
  vaultCredential: vaultCredentialKind,
  memoryStore: memoryStoreKind,
  memory: memoryKind,
  file: fileKind,
} satisfies Record<string, AnyKind>;

export type KindName = keyof typeof kinds;

export function isKindName(name: string): name is KindName {
  return Object.hasOwn(kinds, name);
}
