// Look-ups usable in programs. They run in the program process (not through the engine), with
// the same settings as the resources: qoder:token / QODER_PAT, qoder:baseUrl / QODER_BASE_URL.
import * as pulumi from "@pulumi/pulumi";
import { QoderClient } from "../sdk";
import { MissingCredentialsError } from "./config";
import { agentKind } from "./kinds/agent";

export interface LookupOptions {
  token?: string;
  baseUrl?: string;
}

function clientFor(opts: LookupOptions = {}): QoderClient {
  const fromConfig = (k: string) => {
    try {
      return pulumi.runtime.getConfig(`qoder:${k}`);
    } catch {
      return undefined;
    }
  };
  const token = opts.token ?? fromConfig("token") ?? process.env.QODER_PAT;
  if (!token) throw new MissingCredentialsError();
  const region = fromConfig("region") ?? process.env.QODER_REGION ?? "cn";
  const baseUrl = opts.baseUrl ?? fromConfig("baseUrl") ?? process.env.QODER_BASE_URL ?? region;
  return new QoderClient({ token, baseUrl });
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
  return models.map((m: any) => JSON.parse(JSON.stringify({ id: m.id, displayName: m.display_name, efforts: m.efforts, defaultEffort: m.default_effort })));
}

/** An existing agent by id, in the same shape as the Agent resource's inputs and outputs. */
export async function getAgent(args: { agentId: string; version?: number }, opts?: LookupOptions) {
  const live = await clientFor(opts).agents.get(args.agentId, args.version ? { version: args.version } : undefined);
  return JSON.parse(JSON.stringify({ ...agentKind.toInputs(live, {}), ...agentKind.computed(live) }));
}
