import { APIError, EndpointNotFoundError, envelopeError } from "./errors";
import type { ClientOptions } from "./options";
import { Agents } from "./resources/agents";
import { Environments } from "./resources/environments";
import { Files } from "./resources/files";
import { MemoryStores } from "./resources/memory-stores";
import { Models } from "./resources/models";
import { Sessions } from "./resources/sessions";
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
  readonly sessions: Sessions;
  readonly files: Files;
  #apiChecked: Promise<void> | undefined;

  constructor(opts: ClientOptions = {}) {
    const t = new Transport(opts);
    this.baseUrl = t.baseUrl;
    this.agents = new Agents(t);
    this.environments = new Environments(t);
    this.skills = new Skills(t);
    this.vaults = new Vaults(t);
    this.memoryStores = new MemoryStores(t);
    this.models = new Models(t);
    this.sessions = new Sessions(t);
    this.files = new Files(t);
  }

  /**
   * Once per client (a failed check is retried next time): does the base URL answer like the
   * Qoder API? `GET /agents?limit=1` must give a list, or an error in Qoder's envelope other than
   * a 404 (a PAT without access to agents still proves the URL). Run it before acting on a
   * NotFoundError in a way that loses track of an object (dropping it from state, re-creating it).
   */
  checkApi(): Promise<void> {
    this.#apiChecked ??= this.#probeApi().catch((e: unknown) => {
      this.#apiChecked = undefined;
      throw e;
    });
    return this.#apiChecked;
  }

  async #probeApi(): Promise<void> {
    try {
      await this.agents.list({ limit: 1 }).pages().next();
    } catch (e) {
      const answeredLikeQoder = e instanceof APIError && !(e instanceof EndpointNotFoundError) && e.status !== 404 && envelopeError(e.body);
      if (!answeredLikeQoder) throw e;
    }
  }

  /** Logs show where the client points, not its internals (the token is private regardless). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `QoderClient { baseUrl: '${this.baseUrl}' }`;
  }

  toJSON(): { baseUrl: string } {
    return { baseUrl: this.baseUrl };
  }
}
