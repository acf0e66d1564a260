export { resolveBaseUrl, requireText, requireEveryPathParameter } from "./options.js";
export { clientCredentials, TokenRequestError, type ClientCredentialsOptions, type TokenProvider } from "./oauth.js";
export { bearerAuth, type TokenSource } from "./auth.js";
