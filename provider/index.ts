export * from "./resources";
export { getAgent, getModels, type LookupOptions, type ModelInfo } from "./lookups";
