// Requests per second through our client vs bare `undici.request`, same emulator, same run:
// what the transport (headers, retries bookkeeping, zod validation of the answer) costs.
import { Agent, request } from "undici";
import { QoderClient } from "../sdk";
import { pool, timed } from "./pool";

export interface ClientOverhead {
  requests: number;
  concurrency: number;
  clientRps: number;
  undiciRps: number;
  /** clientRps / undiciRps: 1.0 means no overhead. */
  ratio: number;
}

export async function measureClientOverhead(baseUrl: string, token: string, requests = 2000, concurrency = 16): Promise<ClientOverhead> {
  const client = new QoderClient({ token, baseUrl });
  const agent = await client.agents.create({ name: "overhead", model: "ultimate" } as any);
  const url = `${baseUrl}/agents/${agent.id}`;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  const viaClient = () => pool(Array.from({ length: requests }, () => () => client.agents.get(agent.id)), concurrency);
  const viaUndici = () =>
    pool(
      Array.from({ length: requests }, () => async () => {
        const res = await request(url, { headers, dispatcher });
        if (res.statusCode !== 200) throw new Error(`bare GET answered ${res.statusCode}`);
        await res.body.json();
      }),
      concurrency,
    );
  // Warm both pools and the JIT, then alternate so neither side gets the quieter moment.
  await viaClient();
  await viaUndici();
  let clientMs = 0;
  let undiciMs = 0;
  for (let round = 0; round < 2; round++) {
    clientMs += await timed(viaClient);
    undiciMs += await timed(viaUndici);
  }
  await dispatcher.close();
  const clientRps = (2 * requests) / (clientMs / 1000);
  const undiciRps = (2 * requests) / (undiciMs / 1000);
  return { requests, concurrency, clientRps, undiciRps, ratio: clientRps / undiciRps };
}
