// Raw-HTTP helpers for tests that talk to the emulator (no SDK involved on purpose).
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../emulator/index";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse>;

/** `api("POST", "/agents", {...})` against `baseUrl` with the Bearer token; objects are sent as JSON. */
export function apiClient(baseUrl: string, token?: string): Api {
  return async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } };
    if (body instanceof FormData || typeof body === "string" || body instanceof Uint8Array) init.body = body as RequestInit["body"];
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
}

/** `{status, type, param, message}` of an error response, for one-line assertions. */
export function errorOf(res: ApiResponse): { status: number; type?: string; param?: string; message?: string } {
  const error = res.body?.error ?? {};
  return { status: res.status, type: error.type, param: error.param, message: error.message };
}

export interface EmulatorFixture {
  /** The running emulator (set in beforeAll). */
  emu: RunningEmulator;
  /** Authenticated client for `{baseUrl}`. */
  api: Api;
  /** Client for the `/_emulator` admin surface (same token as the API). */
  admin: Api;
}

/** Registers jest beforeAll/afterAll hooks that run an in-process emulator for the current file. */
export function useEmulator(opts: EmulatorOptions = {}): EmulatorFixture {
  let api: Api;
  let admin: Api;
  const fixture = {
    api: (...args: Parameters<Api>) => api(...args),
    admin: (...args: Parameters<Api>) => admin(...args),
  } as EmulatorFixture;
  beforeAll(async () => {
    fixture.emu = await startEmulator({ port: 0, ...opts });
    api = apiClient(fixture.emu.baseUrl, fixture.emu.token);
    admin = apiClient(`${fixture.emu.origin}/_emulator`, fixture.emu.token);
  });
  afterAll(() => fixture.emu.close());
  return fixture;
}
