// Look-ups usable in programs. They run in the program process (not through the engine), with
// the same settings as the resources, resolved the same way (context.ts): qoder:token /
// QODER_PAT, qoder:baseUrl / QODER_BASE_URL, qoder:region / QODER_REGION.
import * as pulumi from "@pulumi/pulumi";
import { QoderClient, requireToken } from "../sdk";
import { PROVIDER_SETTING_NAMES, settingsFrom } from "./context";
import { asProviderError } from "./errors";
import { plain } from "./json";
import { agentKind, type AgentState } from "./kinds/agent";

export interface LookupOptions {
  token?: string;
  baseUrl?: string;
}

function clientFor(opts: LookupOptions = {}): QoderClient {
  try {
    const s = settingsFrom((key) => pulumi.runtime.getConfig(key), opts);
    return new QoderClient({ token: requireToken(s, PROVIDER_SETTING_NAMES), baseUrl: s.baseUrl });
  } catch (e) {
    throw asProviderError(e);
  }
}

export interface ModelInfo {
  id: string;
  displayName?: string;
  efforts?: string[];
  defaultEffort?: string;
}

/** The models this account may use, to pick an agent's `model` from. */
export async function getModels(opts?: LookupOptions): Promise<ModelInfo[]> {
  const models = await clientFor(opts).models.list();
  return models.map((m) => plain({ id: m.id, displayName: m.display_name, efforts: m.efforts, defaultEffort: m.default_effort }));
}

/** An existing agent by id, in the same shape as the Agent resource's inputs and outputs. */
export async function getAgent(args: { agentId: string; version?: number }, opts?: LookupOptions): Promise<AgentState> {
  const live = await clientFor(opts).agents.get(args.agentId, args.version ? { version: args.version } : undefined);
  return plain(agentKind.state(agentKind.toInputs(live, {}), live, undefined));
}
