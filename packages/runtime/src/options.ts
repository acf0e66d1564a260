import { defaultPathSerializer } from "openapi-fetch";

/**
 * The base URL a client talks to: a named environment from the spec's servers, or an explicit
 * URL (a mock, a proxy). Anything else is a TypeError naming the option and the rule.
 */
export function resolveBaseUrl(
  clientName: string,
  options: { environment?: string | undefined; baseUrl?: string | undefined },
  environments: Readonly<Record<string, string>>,
): string {
  const { environment, baseUrl } = options;
  if (environment !== undefined && baseUrl !== undefined) {
    throw new TypeError(`${clientName}: give either environment or baseUrl, not both`);
  }
  if (environment !== undefined) {
    const url = Object.hasOwn(environments, environment) ? environments[environment] : undefined;
    if (!url) {
      const known = Object.keys(environments).join(", ") || "(none)";
      throw new TypeError(`${clientName}: environment must be one of ${known}; got ${JSON.stringify(environment)}`);
    }
    return url;
  }
  return requireHttpUrl(clientName, "baseUrl", baseUrl);
}

/** Throws a TypeError naming the option unless it is an absolute http(s) URL. */
export function requireHttpUrl(clientName: string, option: string, value: unknown): string {
  if (typeof value !== "string" || !/^https?:\/\/[^/]/.test(value)) {
    throw new TypeError(`${clientName}: ${option} must be an http(s) URL; got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws a TypeError naming the option unless it is a non-empty string. */
export function requireText(clientName: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`${clientName}: ${option} must be a non-empty string`);
  }
  return value;
}

/**
 * openapi-fetch leaves a `{name}` placeholder in the URL when a path parameter is missing, and an
 * empty string yields a `//` that routes to another resource. Both become a clear error instead.
 */
export function requireEveryPathParameter(pathname: string, pathParams: Record<string, unknown>): string {
  for (const [, name] of pathname.matchAll(/\{([^}]+)\}/g)) {
    const value = pathParams?.[name as string];
    if (value === undefined || value === null || value === "") {
      throw new TypeError(`path parameter ${name} is required and must not be empty (${pathname})`);
    }
  }
  return defaultPathSerializer(pathname, pathParams);
}
