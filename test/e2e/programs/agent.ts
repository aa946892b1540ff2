// One agent whose inputs come from the test (QODER_E2E_ARGS).
import * as qoder from "../../../provider";

export default function program(args: { agents?: Record<string, qoder.AgentArgs>; opts?: Record<string, any> }) {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(args.agents ?? {})) {
    const agent = new qoder.Agent(name, a, args.opts?.[name]);
    out[name] = { agentId: agent.agentId, version: agent.version };
  }
  return out;
}
