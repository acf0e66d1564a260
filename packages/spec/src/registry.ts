// The APIs of this project. redocly.yaml's `apis:` is the one list: `pnpm gen` writes it into
// generated/apis.ts, which ships with the package, since installed users have no redocly.yaml.
import { apiEntries, apiNames } from "./generated/apis.js";

export { apiNames };
export type ApiName = (typeof apiNames)[number];

export interface RegisteredApi {
  /** The key under `apis:` in redocly.yaml, e.g. `relay-cdm`. */
  name: ApiName;
  /** The spec's `info.title`. */
  title: string;
  /** The client package of the API, e.g. `@cx-openapi/relay-cdm`. */
  packageName: string;
  /** The default port of the static, example-only Prism mock (`pnpm mock`). */
  mockPort: number;
  /** The default port of the stateful sandbox (`pnpm start`, `cx-sandbox`). */
  sandboxPort: number;
  /** The names of the bundled spec's files, in whatever folder holds the bundles. */
  bundles: { json: string; yaml: string };
}

/** Every API, by name. */
export const apiRegistry: Readonly<Record<ApiName, RegisteredApi>> = apiEntries;

export function isApiName(name: string): name is ApiName {
  return (apiNames as readonly string[]).includes(name);
}

/** Each API's default sandbox port. */
export function sandboxPorts(): Record<ApiName, number> {
  return Object.fromEntries(apiNames.map((name) => [name, apiRegistry[name].sandboxPort])) as Record<ApiName, number>;
}
