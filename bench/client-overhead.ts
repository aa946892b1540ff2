// Requests per second through our client vs bare `undici.request`, same emulator, same run:
// what the transport (headers, retries bookkeeping, zod validation of the answer) costs.
import { Agent, request } from "undici";
import { QoderClient } from "../sdk";
import { Transport } from "../sdk/transport";
import { pool, timed } from "./pool";

export interface ClientOverhead {
  requests: number;
  concurrency: number;
  clientRps: number;
  undiciRps: number;
  /** clientRps / undiciRps: 1.0 means no overhead. */
  ratio: number;
  /** Our transport without the zod validation of the answer (what validation costs). */
  unvalidatedRps: number;
}

export async function measureClientOverhead(baseUrl: string, token: string, requests = 2000, concurrency = 16): Promise<ClientOverhead> {
  const client = new QoderClient({ token, baseUrl });
  const agent = await client.agents.create({ name: "overhead", model: "ultimate" } as any);
  const url = `${baseUrl}/agents/${agent.id}`;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  const viaClient = () => pool(Array.from({ length: requests }, () => () => client.agents.get(agent.id)), concurrency);
  const transport = new Transport({ token, baseUrl });
  const viaTransport = () => pool(Array.from({ length: requests }, () => () => transport.send({ method: "GET", path: `/agents/${agent.id}` })), concurrency);
  const viaUndici = () =>
    pool(
      Array.from({ length: requests }, () => async () => {
        const res = await request(url, { headers, dispatcher });
        if (res.statusCode !== 200) throw new Error(`bare GET answered ${res.statusCode}`);
        JSON.parse(await res.body.text());
      }),
      concurrency,
    );
  // Warm both pools and the JIT, then alternate so neither side gets the quieter moment.
  await viaClient();
  await viaUndici();
  await viaTransport();
  let clientMs = 0;
  let undiciMs = 0;
  let transportMs = 0;
  for (let round = 0; round < 2; round++) {
    clientMs += await timed(viaClient);
    undiciMs += await timed(viaUndici);
    transportMs += await timed(viaTransport);
  }
  await dispatcher.close();
  const rps = (ms: number) => (2 * requests) / (ms / 1000);
  return { requests, concurrency, clientRps: rps(clientMs), undiciRps: rps(undiciMs), ratio: undiciMs / clientMs, unvalidatedRps: rps(transportMs) };
}
