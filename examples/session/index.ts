// Starts a session on an agent, sends one message and prints the session's events as they stream in.
//
//   node dist/examples/session/index.js <agent_id> [--message "text"]     (QODER_PAT, QODER_BASE_URL)
//   node dist/examples/session/index.js --emulator [--message "text"]     (a local emulator and a demo agent)
//
// The agent id may also come from QODER_AGENT_ID (e.g. the id `pulumi stack output` prints for
// examples/quickstart); QODER_ENVIRONMENT_ID picks the environment (default: the first one listed).
import { QoderClient, eventText, isEvent, stopReasonType, userMessage, type SessionEvent } from "pulumi-qoder/sdk";

interface Args {
  agentId?: string;
  message: string;
  emulator: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { agentId: process.env.QODER_AGENT_ID || undefined, message: "Hello! Who are you?", emulator: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--emulator") args.emulator = true;
    else if (argv[i] === "--message") args.message = argv[++i] ?? "";
    else if (argv[i].startsWith("agent_")) args.agentId = argv[i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

/** One line per event: its type, and its text or the fields that matter. */
function describe(e: SessionEvent): string {
  if (isEvent(e, "session.status_idle")) return `${e.type} (stop reason: ${stopReasonType(e) ?? "?"})`;
  if (isEvent(e, "agent.tool_use") || isEvent(e, "agent.custom_tool_use")) return `${e.type} ${e.name}`;
  if (isEvent(e, "session.error")) return `${e.type} ${e.error.message}`;
  const text = eventText(e);
  return text ? `${e.type}: ${text}` : e.type;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let stopEmulator = async () => {};
  let client: QoderClient;
  if (args.emulator) {
    // Loaded only here: a run against the real API does not need the emulator at all.
    const { startEmulator } = await import("pulumi-qoder/emulator");
    const emu = await startEmulator({ port: 0 });
    stopEmulator = () => emu.close();
    client = new QoderClient({ baseUrl: emu.baseUrl, token: emu.token });
    args.agentId ??= (await client.agents.create({ name: "session-example", model: "auto", tools: [{ type: "agent_toolset_20260401" }] })).id;
    console.log(`emulator at ${emu.baseUrl}; demo agent ${args.agentId}`);
  } else {
    client = new QoderClient();
  }
  try {
    if (!args.agentId) throw new Error("pass an agent id (argv or QODER_AGENT_ID), or --emulator");
    const environmentId = process.env.QODER_ENVIRONMENT_ID || (await client.environments.list({ limit: 1 }).toArray())[0]?.id;
    if (!environmentId) throw new Error("no environment: create one (examples/quickstart does) or set QODER_ENVIRONMENT_ID");

    const session = await client.sessions.create({ agent: args.agentId, environment_id: environmentId, title: "examples/session" });
    console.log(`session ${session.id} on agent ${args.agentId} (version ${session.agent?.version ?? "?"})`);
    const [sent] = await client.sessions.events.send(session.id, [userMessage(args.message)]);
    console.log(`> ${args.message}`);
    // Reading from the id of the message just sent: nothing that follows it can be missed.
    for await (const e of client.sessions.events.stream(session.id, { after: sent.id, untilIdle: true })) console.log(describe(e));
  } finally {
    await stopEmulator();
  }
}

main().catch((e: unknown) => {
  console.error(`examples/session: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
