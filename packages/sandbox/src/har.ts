// The request journal as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), oldest first,
// for a browser's network panel or any HAR viewer. It is made from the journal's entries, so it is
// redacted the same way; what HAR has no field for is kept under `_`-prefixed names, as HAR allows.
import type { JournalEntry } from "./journal-entry.js";
import type { KeptBody } from "./redact.js";

type NameValue = { name: string; value: string };

const pairs = (headers: Record<string, string>): NameValue[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));

/** The journal's entries (newest first, as listed) as a HAR log. */
export function harOf(entries: JournalEntry[], host: string): { log: Record<string, unknown> } {
  return {
    log: {
      version: "1.2",
      creator: { name: "cx-sandbox", version: "1" },
      pages: [],
      entries: entries
        .slice()
        .reverse()
        .map((entry) => harEntry(entry, host)),
    },
  };
}

function harEntry(entry: JournalEntry, host: string): Record<string, unknown> {
  const { request, response } = entry;
  const mimeType = (headers: Record<string, string>) => headers["content-type"] ?? "";
  return {
    startedDateTime: entry.time,
    time: entry.latencyMs,
    request: {
      method: entry.method,
      url: `http://${request.headers.host ?? host}${entry.url}`,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: pairs(request.headers),
      queryString: entry.request.query.map(([name, value]) => ({ name, value })),
      ...(request.body.size ? { postData: { mimeType: mimeType(request.headers), ...textOf(request.body) } } : {}),
      headersSize: -1,
      bodySize: request.body.size,
    },
    response: {
      status: entry.status ?? 0,
      statusText: entry.status === null ? "" : (statusTexts[entry.status] ?? ""),
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: pairs(response?.headers ?? {}),
      content: {
        size: response?.body.size ?? 0,
        mimeType: mimeType(response?.headers ?? {}),
        ...(response ? textOf(response.body) : {}),
      },
      redirectURL: response?.headers.location ?? "",
      headersSize: -1,
      bodySize: response?.body.size ?? 0,
      ...(entry.status === null ? { _error: "no answer was sent" } : {}),
    },
    cache: {},
    timings: { send: 0, wait: entry.latencyMs, receive: 0 },
    _id: entry.id,
    _namespace: entry.namespace,
    _pathTemplate: entry.path,
    _operationId: entry.operationId,
    _fault: entry.fault,
    _violations: entry.violations,
  };
}

function textOf(body: KeptBody): { text: string } | { text: string; comment: string } {
  return body.text === undefined ? { text: "", comment: body.note ?? "" } : { text: body.text };
}

const statusTexts: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
