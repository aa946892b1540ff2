export * from "./common";
export * from "./agent";
export * from "./environment";
export * from "./skill";
export * from "./vault";
export * from "./memory";
export * from "./model";
