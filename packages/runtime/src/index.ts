export { resolveBaseUrl, requireText, requireEveryPathParameter } from "./options.js";
