// What the request journal may keep of a request or an answer. Credentials never: credential
// headers are dropped, and secret-named fields, form fields and query parameters (tokens, client
// secrets, API keys, passwords) are replaced. Personal data unless asked for (`--journal-pii`): the
// values of the spec's `x-pii` properties and path parameters are masked, and so is any text that
// repeats one the request sent (a message naming the ccid). Transport-free, no Node built-in.
import { collectPii, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { nestsDeeperThan } from "./limits.js";

export const masked = "•••";
export const redacted = "[redacted]";

/** A bigger body is summarized, not kept: 500 entries stay within a few megabytes. */
export const journalBodyBytes = 16 * 1024;

/** Names of headers, fields and parameters that carry credentials. */
const secretName = /secret|password|passwd|api[-_]?key|authori[sz]ation|credential|cookie|session|token|assertion/i;
/** Named like a credential, but not one. */
const notSecret = new Set(["token_type", "tokentype", "expires_in"]);

export function isSecretName(name: string): boolean {
  return secretName.test(name) && !notSecret.has(name.toLowerCase());
}

/** A body as the journal keeps it: the redacted text, or why it was not kept. */
export interface KeptBody {
  size: number;
  text?: string;
  note?: string;
}

export interface Redaction {
  /** Whether personal data is masked (not with `--journal-pii`). */
  readonly maskPii: boolean;
  /** The spec's `x-pii` path parameters. */
  readonly piiPathParameters: ReadonlySet<string>;
  /** The personal values the request sent (path parameters, x-pii fields), masked wherever they show. */
  readonly seen: Set<string>;
  /** The credentials the request sent, replaced wherever they show, whatever `maskPii` says. */
  readonly secrets: Set<string>;
  isPii(name: string): boolean;
  /** A string with the personal values seen masked. */
  text(value: string): string;
  /** A JSON value with secrets replaced and personal data masked. */
  json(value: unknown): unknown;
}

const piiCache = new WeakMap<OpenApiDoc, { properties: Set<string>; pathParameters: Set<string> }>();

function piiOf(spec: OpenApiDoc) {
  const known = piiCache.get(spec);
  if (known) return known;
  const facts = collectPii(spec);
  const pii = { properties: new Set(facts.properties), pathParameters: new Set(facts.pathParameters) };
  piiCache.set(spec, pii);
  return pii;
}

/** The redaction of one exchange: it learns the request's personal values, then masks them everywhere. */
export function redaction(spec: OpenApiDoc, maskPii: boolean): Redaction {
  const pii = piiOf(spec);
  const seen = new Set<string>();
  const secrets = new Set<string>();
  const self: Redaction = {
    maskPii,
    piiPathParameters: pii.pathParameters,
    seen,
    secrets,
    isPii: (name) => maskPii && pii.properties.has(name),
    text: (value) => {
      const open = replaceAll(value, secrets, redacted);
      return maskPii ? replaceAll(open, seen, masked) : open;
    },
    json: (value) => scrub(self, value, 0),
  };
  return self;
}

/** Personal values shorter than this are not searched for in other text (a "1" is everywhere). */
const shortestSeen = 3;

function replaceAll(value: string, found: Set<string>, by: string): string {
  let text = value;
  for (const known of found)
    if (known.length >= shortestSeen && text.includes(known)) text = text.split(known).join(by);
  return text;
}

/** Records the personal scalar values of a request's body, so later text that repeats them is masked. */
export function learn(redaction: Redaction, value: unknown, depth = 0): void {
  if (!redaction.maskPii || depth > 100 || typeof value !== "object" || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (redaction.isPii(key)) collectScalars(child, redaction.seen, depth + 1);
    else learn(redaction, child, depth + 1);
  }
}

function collectScalars(value: unknown, into: Set<string>, depth: number): void {
  if (typeof value === "string" || typeof value === "number") into.add(String(value));
  else if (typeof value === "object" && value !== null && depth <= 100)
    for (const child of Object.values(value)) collectScalars(child, into, depth + 1);
}

function scrub(redaction: Redaction, value: unknown, depth: number): unknown {
  if (typeof value === "string") return redaction.text(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth > 100) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((item) => scrub(redaction, item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (isSecretName(key)) {
      if (typeof child === "string") redaction.secrets.add(child);
      out[key] = redacted;
    } else if (redaction.isPii(key)) out[key] = masked;
    else out[key] = scrub(redaction, child, depth + 1);
  }
  return out;
}

/**
 * Headers without any credential: those named like one are dropped (their values, the bearer token
 * and the Basic credentials decoded, are then replaced wherever else they show).
 */
export function keptHeaders(redaction: Redaction, headers: Record<string, string | undefined>): Record<string, string> {
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && isSecretName(name)) learnSecret(redaction, value);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !isSecretName(name)) kept[name] = redaction.text(value);
  return kept;
}

function learnSecret(redaction: Redaction, value: string): void {
  redaction.secrets.add(value);
  const credentials = /^\s*(\w+)\s+(\S+)\s*$/.exec(value);
  if (!credentials) return;
  redaction.secrets.add(credentials[2]!);
  if (credentials[1]!.toLowerCase() !== "basic") return;
  try {
    const decoded = atob(credentials[2]!);
    redaction.secrets.add(decoded);
    redaction.secrets.add(decoded.slice(decoded.indexOf(":") + 1));
  } catch {
    // Not base64: the raw value is replaced all the same.
  }
}

/** A query string with secret parameters replaced and personal ones masked. */
export function keptQuery(redaction: Redaction, query: string | undefined): [string, string][] {
  if (!query) return [];
  return [...new URLSearchParams(query)].map(([name, value]) => [name, keptField(redaction, name, value)]);
}

/** A form field or query parameter: a secret replaced (and remembered), a personal one masked. */
function keptField(redaction: Redaction, name: string, value: string): string {
  if (isSecretName(name)) {
    redaction.secrets.add(value);
    return redacted;
  }
  if (!redaction.isPii(name)) return redaction.text(value);
  redaction.seen.add(value);
  return masked;
}

/** A request body: JSON or a form, redacted; anything else (or too big, or too deep) is not kept. */
export function keptRequestBody(redaction: Redaction, text: string | undefined, contentType = ""): KeptBody {
  const size = text ? utf8Length(text) : 0;
  if (!text) return { size };
  if (size > journalBodyBytes) return { size, note: `not kept: larger than ${journalBodyBytes} bytes` };
  if (/x-www-form-urlencoded/i.test(contentType)) return { size, text: keptForm(redaction, text) };
  if (nestsDeeperThan(text, 64)) return { size, note: "not kept: nested deeper than 64 levels" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { size, note: "not kept: not JSON" };
  }
  learn(redaction, value);
  return { size, text: JSON.stringify(redaction.json(value)) };
}

function keptForm(redaction: Redaction, text: string): string {
  const form = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(text)) form.append(name, keptField(redaction, name, value));
  return form.toString();
}

/** An answer's body (a JSON value, or the text of a page), redacted; a big one is summarized. */
export function keptResponseBody(redaction: Redaction, body: unknown, text: string): KeptBody {
  const size = utf8Length(text);
  if (text === "") return { size };
  if (size > journalBodyBytes) return { size, note: `not kept: larger than ${journalBodyBytes} bytes` };
  if (body === undefined) return { size, note: "not kept: not JSON" };
  return { size, text: JSON.stringify(redaction.json(body)) };
}

/** The length of a text in UTF-8 bytes, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair: two UTF-16 units, four bytes.
      bytes += 2;
      i++;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}
