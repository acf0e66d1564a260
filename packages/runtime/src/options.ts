import { defaultPathSerializer } from "openapi-fetch";
import { inputError } from "./errors.js";

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
  const known = Object.keys(environments);
  if ((environment === undefined) === (baseUrl === undefined)) {
    throw new TypeError(
      `${clientName}: give either environment (${known.join(", ") || "none"}) or baseUrl (an http(s) URL), not both`,
    );
  }
  return environment !== undefined
    ? environments[requireOneOf(`${clientName}: environment`, environment, known)]!
    : requireHttpUrl(clientName, "baseUrl", baseUrl);
}

/** Throws a TypeError naming the option and the allowed values unless `value` is one of them. */
export function requireOneOf<T>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new TypeError(`${option} must be one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
  return value as T;
}

/** Throws a TypeError naming the option unless it is a number (a whole one when `whole`) of at least `min`. */
export function requireNumber(option: string, value: number, min: number, whole?: boolean): number {
  if (!(whole ? Number.isSafeInteger(value) : Number.isFinite(value)) || value < min)
    throw new TypeError(`${option} must be a ${whole ? "whole " : ""}number, at least ${min}; got ${value}`);
  return value;
}

/**
 * Throws a TypeError naming the option unless it is an absolute http(s) URL (any case) without
 * credentials, query or fragment; returns it normalised, without a trailing slash. The message
 * never repeats the value: it may hold a key or a personal path segment.
 */
export function requireHttpUrl(clientName: string, option: string, value: unknown): string {
  const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;
  const problem =
    !url || !/^https?:$/.test(url.protocol)
      ? "must be an absolute http(s) URL"
      : url.username || url.password
        ? "must not carry credentials"
        : /[?#]/.test(value as string)
          ? "must not have a query or fragment"
          : undefined;
  if (problem) throw new TypeError(`${clientName}: ${option} ${problem}`);
  return url!.href.replace(/\/$/, "");
}

/** A call's own baseUrl (openapi-fetch allows one) stays on the client's origin: the credentials go with it. */
export function checkCallBaseUrl(clientName: string, value: unknown, origin: string): void {
  if (new URL(requireHttpUrl(clientName, "baseUrl", value)).origin !== origin) {
    throw new TypeError(
      `${clientName}: the baseUrl of a call must be on the client's origin (${origin}), where the credentials go`,
    );
  }
}

/** Throws a TypeError naming the option unless it is a non-empty string. */
export function requireText(clientName: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`${clientName}: ${option} must be a non-empty string`);
  }
  return value;
}

/**
 * A non-empty string that is safe as an HTTP header value: no control characters (CR, LF, NUL...)
 * that could inject a header, nothing outside Latin-1. The message never repeats the value.
 */
export function requireHeaderValue(clientName: string, option: string, value: unknown): string {
  if (!isHeaderValue(requireText(clientName, option, value)))
    throw new TypeError(`${clientName}: ${option} ${noControl}`);
  return value as string;
}

export const noControl = "must not contain control characters (CR, LF, NUL) or non-Latin-1 ones";

export function isHeaderValue(value: string): boolean {
  return !/[\0-\x08\x0a-\x1f\x7f]|[^\0-\xff]/.test(value);
}

/**
 * A secret (an API key, a client secret) in a browser page is readable by anyone who opens it.
 * Where `window` and `document` exist this throws, unless the caller opts in by name.
 */
export function refuseSecretInBrowser(clientName: string, secret: string, allow: boolean | undefined): void {
  if (allow !== true && typeof globalThis.window !== "undefined" && typeof globalThis.document !== "undefined") {
    throw new TypeError(
      `${clientName}: ${secret} in a browser is readable by anyone; call the API from your backend (or set dangerouslyAllowBrowser: true)`,
    );
  }
}

/**
 * openapi-fetch leaves a `{name}` placeholder in the URL when a path parameter is missing, and an
 * empty string yields a `//` that routes to another resource, as does a `.` or `..`. All become a
 * clear error instead, naming the parameter, never its value. Label (`{.name}`), matrix
 * (`{;name}`) and explode (`{name*}`) templates are read as openapi-fetch reads them.
 */
export function requireEveryPathParameter(pathname: string, pathParams: Record<string, unknown>): string {
  checkPathParameters(pathname, pathParams);
  return defaultPathSerializer(pathname, pathParams);
}

export function checkPathParameters(pathname: string, pathParams: Record<string, unknown> | undefined): void {
  for (const name of parameterNames(pathname)) {
    const value = pathParams?.[name];
    // "." and ".." are dot segments: the URL parser removes them, and the call reaches another route.
    if (value == null || value === "" || value === "." || value === "..") {
      throw inputError(`path parameter ${name} is required and must not be empty, "." or ".." (${pathname})`);
    }
  }
}

/** The parameter names of each path template seen, parsed once: a call's hot path only looks them up. */
const templates = new Map<string, string[]>();
/** Bounds the cache for callers that build paths at run time rather than passing templates. */
const maxTemplates = 512;

function parameterNames(pathname: string): string[] {
  let names = templates.get(pathname);
  if (names) return names;
  names = [];
  for (let open = pathname.indexOf("{"); open !== -1; open = pathname.indexOf("{", open + 1)) {
    const close = pathname.indexOf("}", open);
    if (close === -1) break;
    // {.label}, {;matrix} and {name*} name the parameter without their marks, as openapi-fetch reads them.
    names.push(pathname.slice(open + 1, close).replace(/^[.;]|\*$/g, ""));
  }
  if (templates.size < maxTemplates) templates.set(pathname, names);
  return names;
}
