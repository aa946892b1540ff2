// Where a client's token and base URL come from, resolved the same way for every caller (the
// provider, the program-side look-ups, scripts), with one set of messages. Each caller names its
// own sources (the provider says `qoder:region / QODER_REGION`), the rules stay here.
import { MissingTokenError, QoderError } from "./errors";
import { BASE_URLS } from "./options";

export type Region = keyof typeof BASE_URLS;

/** Values the caller read itself (options, stack config); empty means "not set". */
export interface SettingSources {
  token?: string;
  baseUrl?: string;
  region?: string;
}

/** How the caller's sources are named in messages. */
export interface SettingNames {
  baseUrl: string;
  region: string;
  /** How to supply a token, completing "No Qoder token: …". */
  token: string;
}

/** The environment variables read after the caller's own sources. */
export const SETTING_ENV = { token: "QODER_PAT", baseUrl: "QODER_BASE_URL", region: "QODER_REGION" } as const;

export const SDK_SETTING_NAMES: SettingNames = {
  baseUrl: "baseUrl / QODER_BASE_URL",
  region: "region / QODER_REGION",
  token: "pass `token` to QoderClient or set the QODER_PAT environment variable",
};

export interface Settings {
  token: string | undefined;
  baseUrl: string;
}

function isRegion(v: string): v is Region {
  return Object.hasOwn(BASE_URLS, v);
}

/** Given values first, then the environment; a base URL wins over the region (`cn` by default). */
export function resolveSettings(given: SettingSources, names: SettingNames = SDK_SETTING_NAMES, env: NodeJS.ProcessEnv = process.env): Settings {
  const pick = (k: keyof SettingSources) => given[k] || env[SETTING_ENV[k]] || undefined;
  const region = pick("region") ?? "cn";
  const baseUrl = pick("baseUrl");
  if (baseUrl) return { token: pick("token"), baseUrl };
  if (!isRegion(region)) {
    const allowed = Object.keys(BASE_URLS).map((r) => `"${r}"`).join(" or ");
    throw new QoderError(`${names.region} must be ${allowed} (got "${region}"); or set ${names.baseUrl}`);
  }
  return { token: pick("token"), baseUrl: BASE_URLS[region] };
}

/** The token, or the one missing-token error, telling this caller how to supply it. */
export function requireToken(s: Settings, names: SettingNames = SDK_SETTING_NAMES): string {
  if (!s.token) throw new MissingTokenError(names.token);
  return s.token;
}
