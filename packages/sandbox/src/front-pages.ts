// The pages a front serves itself: the port's index (GET /) and the inspector (GET /__sandbox/, its
// script and its style: static files, src/inspector/ here and dist/inspector/ in the package). The
// inspector holds no data: its script reads the sandbox's routes, same-origin only, so the page may
// be opened from a link on another local page. It runs under a strict Content-Security-Policy: its
// own script and style only, no inline code, calls to its own origin only, never in a frame.
import { readFileSync } from "node:fs";
import type { ApiName } from "@cx-openapi/spec";
import { json } from "./control-routes.js";
import { hostRefusal, type AdminPolicy } from "./cors.js";
import { portIndexAnswer } from "./port-index.js";
import type { Sandbox } from "./sandbox.js";
import type { SandboxResponse } from "./types.js";

export interface PagesContext {
  api: ApiName;
  sandbox: Sandbox;
  admin: AdminPolicy;
  /** Each API's front URL, filled in as the fronts start listening. */
  urls: Record<ApiName, string>;
  docsUrl?: string | undefined;
}

const html = "text/html; charset=utf-8";
const assets: Record<string, { file: string; type: string }> = {
  "/__sandbox": { file: "page.html", type: html },
  "/__sandbox/": { file: "page.html", type: html },
  "/__sandbox/inspector.js": { file: "inspector.js", type: "text/javascript; charset=utf-8" },
  "/__sandbox/inspector.css": { file: "inspector.css", type: "text/css; charset=utf-8" },
};

const inspectorPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const read = new Map<string, string>();

function asset(file: string): string {
  const known = read.get(file);
  if (known !== undefined) return known;
  const text = readFileSync(new URL(`./inspector/${file}`, import.meta.url), "utf8");
  read.set(file, text);
  return text;
}

/** The answer of a page the front serves itself; undefined when the request is for something else. */
export function ownPage(
  ctx: PagesContext,
  method: string,
  path: string,
  headers: Record<string, string | undefined>,
): SandboxResponse | undefined {
  if (method !== "GET") return undefined;
  if (path === "/") return portIndexAnswer({ ...ctx, spec: ctx.sandbox.engines[ctx.api].spec }, headers.accept);
  const found = assets[path];
  if (!found) return undefined;
  const refusal = hostRefusal(headers, ctx.admin);
  if (refusal) return json(403, { message: refusal });
  return {
    status: 200,
    headers: {
      "content-type": found.type,
      "content-security-policy": inspectorPolicy,
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      // A page that opened it keeps no handle on it; no other site may embed its files.
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "cache-control": "no-cache",
    },
    text: asset(found.file),
  };
}
