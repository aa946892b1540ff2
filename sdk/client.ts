import type { ClientOptions } from "./options";
import { Agents } from "./resources/agents";
import { Environments } from "./resources/environments";
import { MemoryStores } from "./resources/memory-stores";
import { Models } from "./resources/models";
import { Skills } from "./resources/skills";
import { Vaults } from "./resources/vaults";
import { Transport } from "./transport";

/** Typed client for the Qoder Cloud Agents API (`/api/v1/cloud`). */
export class QoderClient {
  readonly baseUrl: string;
  readonly agents: Agents;
  readonly environments: Environments;
  readonly skills: Skills;
  readonly vaults: Vaults;
  readonly memoryStores: MemoryStores;
  readonly models: Models;

  constructor(opts: ClientOptions = {}) {
    const t = new Transport(opts);
    this.baseUrl = t.baseUrl;
    this.agents = new Agents(t);
    this.environments = new Environments(t);
    this.skills = new Skills(t);
    this.vaults = new Vaults(t);
    this.memoryStores = new MemoryStores(t);
    this.models = new Models(t);
  }

  /** Logs show where the client points, not its internals (the token is private regardless). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `QoderClient { baseUrl: '${this.baseUrl}' }`;
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: this.baseUrl };
  }
}
