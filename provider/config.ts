// Provider settings are read at run time (from the stack config the engine hands to
// `configure`, or the environment), never captured into the serialized provider, so no secret
// reaches `__provider` and a rotated token takes effect on the next run.
import { QoderClient } from "../sdk";

export interface ProviderSettings {
  token?: string;
  baseUrl: string;
}

interface ConfigLike {
  get(key: string): string | undefined;
}

const REGIONS: Record<string, string> = {
  cn: "https://api.qoder.com.cn/api/v1/cloud",
  global: "https://api.qoder.com/api/v1/cloud",
};

let stackConfig: ConfigLike | undefined;
let client: QoderClient | undefined;

/** Called by the dynamic provider host with the whole stack config (secrets decrypted). */
export function configure(config: ConfigLike | undefined): void {
  stackConfig = config;
  client = undefined;
}

function setting(configKey: string, envKey: string): string | undefined {
  let fromConfig: string | undefined;
  try {
    fromConfig = stackConfig?.get(configKey);
  } catch {
    fromConfig = undefined;
  }
  return fromConfig || process.env[envKey] || undefined;
}

export function resolveSettings(): ProviderSettings {
  const region = setting("qoder:region", "QODER_REGION") ?? "cn";
  const explicit = setting("qoder:baseUrl", "QODER_BASE_URL");
  if (!explicit && !REGIONS[region]) {
    throw new Error(`qoder:region must be "cn" or "global" (got "${region}"); or set qoder:baseUrl / QODER_BASE_URL`);
  }
  return { token: setting("qoder:token", "QODER_PAT"), baseUrl: explicit ?? REGIONS[region] };
}

export class MissingCredentialsError extends Error {
  constructor() {
    super(
      "No Qoder token: set the secret stack config `pulumi config set --secret qoder:token <PAT>` " +
        "or the QODER_PAT environment variable.",
    );
    this.name = "MissingCredentialsError";
  }
}

/** One client per provider process, built lazily so that check and diff never need a token. */
export function getClient(): QoderClient {
  if (client) return client;
  const s = resolveSettings();
  if (!s.token) throw new MissingCredentialsError();
  const retries = process.env.QODER_MAX_RETRIES;
  const timeout = process.env.QODER_TIMEOUT_MS;
  client = new QoderClient({
    token: s.token,
    baseUrl: s.baseUrl,
    idempotentWrites: true,
    ...(retries ? { maxRetries: Number(retries) } : {}),
    ...(timeout ? { timeoutMs: Number(timeout) } : {}),
  });
  return client;
}
