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

/**
 * A whole number from the environment, or undefined when unset. `Number("60s")` is NaN, which
 * would make every request "time out after NaN ms": refuse it, naming the variable and the rule.
 */
function envInteger(name: string, rule: { min: number; unit: string }): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < rule.min) {
    throw new Error(`${name} must be a whole number of ${rule.unit} ≥ ${rule.min}, without a unit (got ${JSON.stringify(raw)})`);
  }
  return value;
}

/** One client per provider process, built lazily so that check and diff never need a token. */
export function getClient(): QoderClient {
  if (client) return client;
  const s = resolveSettings();
  if (!s.token) throw new MissingCredentialsError();
  const maxRetries = envInteger("QODER_MAX_RETRIES", { min: 0, unit: "retries" });
  const timeoutMs = envInteger("QODER_TIMEOUT_MS", { min: 1, unit: "milliseconds" });
  client = new QoderClient({
    token: s.token,
    baseUrl: s.baseUrl,
    idempotentWrites: true,
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return client;
}
