#!/usr/bin/env node
import "../sdk/node-guard-cli"; // first: refuses Node < 22 before undici loads
import { parseSize } from "./body";
import { parseFaults, type FaultConfig } from "./faults";
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = `usage: qoder-emulator [--port N] [--host H] [--token PAT] [--data FILE] [--body-limit 4mb]
       [--latency MS] [--error-rate F] [--error-status 503|429] [--retry-after S] [--reset-rate F]`;

/** `--flag value` and `--flag=value` → options; exits with usage on anything unknown. */
function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = {};
  const faults: Record<string, number> = {};
  const num = (flag: string, v: string) => {
    const n = Number(v);
    if (v === "" || !Number.isFinite(n)) throw new Error(`${flag} expects a number, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? "";
    switch (flag) {
      case "--port": opts.port = num(flag, value()); break;
      case "--host": opts.host = value(); break;
      case "--token": opts.token = value(); break;
      case "--data": opts.dataFile = value(); break;
      case "--body-limit": opts.bodyLimit = parseSize(value()); break;
      case "--latency": faults.latencyMs = num(flag, value()); break;
      case "--error-rate": faults.errorRate = num(flag, value()); break;
      case "--error-status": faults.errorStatus = num(flag, value()); break;
      case "--retry-after": faults.retryAfterSeconds = num(flag, value()); break;
      case "--reset-rate": faults.resetRate = num(flag, value()); break;
      case "--help": case "-h": console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown flag ${flag}`);
    }
  }
  opts.faults = parseFaults(faults) as FaultConfig;
  return opts;
}

async function main(): Promise<void> {
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`qoder-emulator: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const emu = await startEmulator(opts);
  console.log(`qoder-emulator listening on ${emu.baseUrl}`);
  // Never echo a token the user chose: it may be a real PAT.
  console.log(`qoder-emulator token: ${opts.token === undefined ? emu.token : "(from --token)"}`);
  const stop = () => emu.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(`qoder-emulator: ${(e as Error).message}`);
  process.exit(1);
});
