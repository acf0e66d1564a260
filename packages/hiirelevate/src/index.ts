export { createHiiRelevateClient, type HiiRelevateClient, type HiiRelevateClientOptions } from "./client.js";
export { clientCredentials, TokenRequestError, type ClientCredentialsOptions, type TokenProvider, type TokenSource } from "@cx-openapi/runtime";
export type * from "./generated/schema.js";
