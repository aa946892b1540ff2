// What the lifecycle functions get from `configure`: a client built from the stack config (or
// the environment), never a module global and never serialized into `__provider`, so no secret
// reaches state and a rotated token takes effect on the next run.
import { QoderClient, requireToken, resolveSettings, type SettingNames, type Settings } from "../sdk";
import { ProviderError } from "./errors";

/** The stack config as the dynamic-provider host hands it to `configure` (secrets decrypted). */
export interface ConfigLike {
  get(key: string): string | undefined;
}

/** The settings as users of the provider know them. */
export const PROVIDER_SETTING_NAMES: SettingNames = {
  baseUrl: "qoder:baseUrl / QODER_BASE_URL",
  region: "qoder:region",
  token: "set the secret stack config `pulumi config set --secret qoder:token <PAT>` or the QODER_PAT environment variable",
};

export interface ProviderContext {
  /** Built on first use, so that check and diff never need a token. */
  client(): QoderClient;
}

/** `qoder:<k>` from the config; a config that cannot be read is a config that is not set. */
function readSetting(get: (key: string) => string | undefined, k: string): string | undefined {
  try {
    return get(`qoder:${k}`);
  } catch {
    return undefined;
  }
}

/** `qoder:token`, `qoder:baseUrl`, `qoder:region` from `get`, then QODER_PAT, QODER_BASE_URL, QODER_REGION. */
export function settingsFrom(get: (key: string) => string | undefined, given: { token?: string; baseUrl?: string } = {}): Settings {
  const read = (k: string) => readSetting(get, k);
  return resolveSettings(
    { token: given.token ?? read("token"), baseUrl: given.baseUrl ?? read("baseUrl"), region: read("region") },
    PROVIDER_SETTING_NAMES,
  );
}

/**
 * A whole number from the environment, or undefined when unset. `Number("60s")` is NaN, which
 * would make every request "time out after NaN ms": refuse it, naming the variable and the rule.
 */
function envInteger(name: string, rule: { min: number; unit: string }): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < rule.min) {
    throw new ProviderError(`${name} must be a whole number of ${rule.unit} ≥ ${rule.min}, without a unit (got ${JSON.stringify(process.env[name])})`);
  }
  return value;
}

function buildClient(config: ConfigLike | undefined): QoderClient {
  const s = settingsFrom((k) => config?.get(k));
  const maxRetries = envInteger("QODER_MAX_RETRIES", { min: 0, unit: "retries" });
  const timeoutMs = envInteger("QODER_TIMEOUT_MS", { min: 1, unit: "milliseconds" });
  return new QoderClient({
    token: requireToken(s, PROVIDER_SETTING_NAMES),
    baseUrl: s.baseUrl,
    idempotentWrites: true,
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/**
 * What identifies a config for `configure`: the host calls it once per kind module with the same
 * stack config, and the context (its client and caches) should survive the repeats.
 */
export function configKey(config: ConfigLike | undefined): string {
  return JSON.stringify(["token", "baseUrl", "region"].map((k) => readSetting((key) => config?.get(key), k) ?? null));
}

/** The context for one provider process, from the config `configure` was given. */
export function providerContext(config?: ConfigLike): ProviderContext {
  let client: QoderClient | undefined;
  return { client: () => (client ??= buildClient(config)) };
}
