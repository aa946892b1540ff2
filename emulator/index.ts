import { BASE_PATH, Emulator, type EmulatorOptions } from "./server";

export type { EmulatorOptions } from "./server";
export type { FaultConfig } from "./faults";
export type { Model } from "./models";
export { DEFAULT_MODELS } from "./models";
export { createZip, readZip } from "./zip";
export type { ZipLimits } from "./skill-zip";
export { BASE_PATH, DEV_TOKEN } from "./server";

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4010 */
  origin: string;
  /** origin + "/api/v1/cloud" */
  baseUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Starts a local Qoder Cloud Agents API emulator (port 0 = any free port). */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = new Emulator(opts);
  const port = await emu.listen();
  const host = opts.host ?? "127.0.0.1";
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return { origin, baseUrl: origin + BASE_PATH, port, token: emu.token, close: () => emu.close() };
}
