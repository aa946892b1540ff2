import "../sdk/node-guard"; // first: the program runs on the `node` on PATH too; refuse < 22 before undici loads
export * from "./resources";
export { getAgent, getModels, type LookupOptions, type ModelInfo } from "./lookups";
export { Fleet, FleetConfigError, loadFleet, type FleetArgs, type FleetEntry, type FleetAgentEntry, type FleetSpec } from "./fleet";
