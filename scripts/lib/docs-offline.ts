// What makes a Redoc page fit for dist/docs: the CDN assets Redoc's bundle refers to replaced, a
// guard that fails the build when any page would still load something from another host, and the
// Content-Security-Policy that lets a page run its own inline scripts only.
import { createHash } from "node:crypto";

/** An empty SVG: what the Redocly badge images become, so the page loads nothing from a CDN. */
export const emptySvg =
  "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%220%22 height=%220%22/%3E";

/**
 * Assets Redoc's bundle loads from Redocly's CDNs, and what replaces them. The "API docs by
 * Redocly" badge images hide themselves when empty; the icon packs are never used by our pages
 * (the browser test proves no request leaves 127.0.0.1), and point at a local folder that does not
 * exist rather than at a CDN.
 */
const cdnAssets: [RegExp, string][] = [
  [/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, emptySvg],
  [/https:\/\/cdn\.redocly\.com\/icons\//g, "./icons/"],
  [/https:\/\/cdn\.redocly\.com\/redoc\/[^"'`\s)]*/g, "./redoc-cdn-disabled"],
];

/** Hosts an offline page must not load anything from, whatever the reference to them looks like. */
const forbiddenHosts =
  /\b(?:cdn\.redoc\.ly|cdn\.redocly\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net)\b/;

/**
 * The Content-Security-Policy of a Redoc page: it runs its own inline scripts only (by hash, so no
 * injected script runs), loads nothing from another host, and calls nothing but 127.0.0.1.
 */
export function redocPolicy(html: string): string {
  const hashes = inlineScripts(html).map((text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src blob:",
    "connect-src 'self' http://127.0.0.1:*",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** The text of every inline <script> of a page, read as an HTML parser does (a script ends at the first `</script`). */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = [];
  const open = /<script\b([^>]*)>/gi;
  const close = /<\/script[\s/>]/gi;
  for (let match = open.exec(html); match; match = open.exec(html)) {
    close.lastIndex = open.lastIndex;
    const end = close.exec(html)?.index;
    if (end === undefined) break;
    const attributes = match[1] ?? "";
    if (!/\bsrc\s*=/i.test(attributes) && !/type\s*=\s*["']?application\/(?:ld\+)?json/i.test(attributes))
      scripts.push(html.slice(open.lastIndex, end));
    open.lastIndex = end;
  }
  return scripts;
}

/** A Redoc page with its Content-Security-Policy, as the first element of its head. */
export function withPolicy(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${redocPolicy(html)}">`;
  return html.replace(/<head>/i, `<head>\n  ${meta}`);
}

/** Replaces the CDN assets in a Redoc page and fails when any external resource load is left. */
export function makeOffline(html: string, page: string): string {
  let out = html;
  for (const [pattern, replacement] of cdnAssets) out = out.replace(pattern, replacement);
  const problems = externalResources(out);
  const cdn = forbiddenHosts.exec(out);
  if (cdn) problems.push(`a reference to ${cdn[0]}`);
  if (problems.length) throw new Error(`${page} would load external resources:\n  ${problems.join("\n  ")}`);
  return out;
}

/** External resources an HTML page's markup or CSS loads (links to other sites are fine). */
export function externalResources(html: string): string[] {
  const found: string[] = [];
  const patterns: [RegExp, string][] = [
    [/<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi, "script"],
    [/<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+[^>]*>/gi, "link"],
    [
      /<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi,
      "embedded resource",
    ],
    [/url\(\s*["']?(?:https?:)?\/\/[^)"']+/gi, "CSS url()"],
    [/@import\s+(?:url\()?\s*["'](?:https?:)?\/\/[^"']+/gi, "CSS @import"],
    [/\bimport\s*(?:[\w{}*\s,]+from\s*)?["']https?:\/\/[^"']+/g, "ES module import"],
  ];
  for (const [pattern, kind] of patterns) {
    for (const match of html.matchAll(pattern)) {
      // A <link> that only navigates (rel=canonical etc.) loads nothing; stylesheets, preloads and icons do.
      if (
        kind === "link" &&
        !/\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|prefetch|preconnect|dns-prefetch|manifest)/i.test(
          match[0],
        )
      )
        continue;
      found.push(`${kind}: ${match[0].slice(0, 160)}`);
    }
  }
  return found;
}
