export { QoderClient } from "./client";
export * from "./errors";
export { BASE_URLS, DEFAULT_LIMITS, type ClientEvent, type ClientOptions, type RequestOptions } from "./options";
export { Paginator, type ListParams, type Page, type PaginatorOptions } from "./pagination";
export type { VaultListParams } from "./resources/vaults";
export type { MemoryListParams, MemoryStoreListParams } from "./resources/memory-stores";
export * from "./schemas";
export { sharedDispatcher } from "./transport";
export { USER_AGENT, VERSION } from "./version";
