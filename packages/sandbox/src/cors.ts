// CORS for the API routes, and the rule that keeps the sandbox's own routes (`/__sandbox/*`) to
// its own pages and to clients that are not browsers.
import { timingSafeEqual } from "node:crypto";
import { isLoopback } from "./http.js";

/** Which web origins may call the API routes from a browser: any (loopback default), or these. */
export type CorsOrigins = "any" | readonly string[];

const exposed = "retry-after, location, sl-violations, content-type";

function allows(origins: CorsOrigins, origin: string): boolean {
  return origins === "any" || origins.includes(origin);
}

/** The CORS headers of an answer to `origin`, or none when that origin is not allowed. */
export function corsHeaders(origins: CorsOrigins, origin: string | undefined): Record<string, string> {
  if (!origin || !allows(origins, origin)) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": exposed, vary: "Origin" };
}

/** A preflight's answer: 204 with the requested headers allowed, or 403 for an origin not allowed. */
export function preflight(
  origins: CorsOrigins,
  headers: Record<string, string | undefined>,
): { status: number; headers: Record<string, string> } {
  const origin = headers.origin;
  if (!origin || !allows(origins, origin)) return { status: 403, headers: {} };
  return {
    status: 204,
    headers: {
      ...corsHeaders(origins, origin),
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers":
        headers["access-control-request-headers"] ?? "content-type, authorization, xx-relay-api-key",
      "access-control-max-age": "600",
    },
  };
}

export interface AdminPolicy {
  /** When set, every call of a sandbox route must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Whether the server listens on loopback only: then the Host header must name loopback too. */
  loopback: boolean;
}

/**
 * Why a call of the sandbox's own routes is refused, or undefined when it may go on. A browser page
 * of another origin is refused (its Origin or Sec-Fetch-Site says so), so a web page cannot reset,
 * seed, fault or read the state; a Host that is not loopback on a loopback server is refused, which
 * stops DNS rebinding; with an admin token, the token is required.
 */
export function adminRefusal(headers: Record<string, string | undefined>, policy: AdminPolicy): string | undefined {
  const host = headers.host ?? "";
  const rebound = hostRefusal(headers, policy);
  if (rebound) return rebound;
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return "the sandbox's routes take no cross-origin calls";
  if (headers.origin !== undefined && headers.origin !== `http://${host}`)
    return "the sandbox's routes take no cross-origin calls";
  if (policy.token !== undefined && !sameSecret(bearer(headers.authorization), policy.token))
    return "the sandbox's routes need the admin token (Authorization: Bearer <token>)";
  return undefined;
}

/**
 * Why a page of the sandbox's own (the inspector, which holds no data) is refused: only a Host
 * that is not loopback on a loopback server, so a rebound host name gets nothing from it either.
 */
export function hostRefusal(headers: Record<string, string | undefined>, policy: AdminPolicy): string | undefined {
  if (policy.loopback && !isLoopback(hostName(headers.host ?? "")))
    return "the sandbox's routes answer loopback host names only";
  return undefined;
}

function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d+$/, "");
}

function bearer(authorization: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
