export { createRelayCdmClient, apiKeyHeader, type RelayCdmClient, type RelayCdmClientOptions } from "./client.js";
export { environments, type Environment } from "./generated/environments.js";
export type * from "./generated/schema.js";
