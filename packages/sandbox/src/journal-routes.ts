// The request journal's routes, under /__sandbox like the sandbox's others (and same-origin only
// like them, by the front): the list, the live stream, the HAR export, and clearing. Transport-free.
import { harOf } from "./har.js";
import { journalStream, maxSubscribers, type Journal } from "./journal.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";
import { namespaceHeader } from "./worlds.js";

const jsonAnswer = (status: number, body: unknown): SandboxResponse => ({
  status,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body,
});

/**
 * Which namespace's entries a call is about: `?namespace=` (empty for the default one), else the
 * request's own namespace header, else every namespace.
 */
function namespaceOf(request: SandboxRequest): string | undefined {
  const query = new URLSearchParams(request.query ?? "");
  if (query.has("namespace")) return query.get("namespace") ?? "";
  return request.headers[namespaceHeader]?.trim();
}

/** `GET /__sandbox/requests`: the entries newest first, or the live stream (`?stream`, or Accept: text/event-stream). */
export function listRequests(journal: Journal, request: SandboxRequest): SandboxResponse {
  const namespace = namespaceOf(request);
  const wantsStream =
    new URLSearchParams(request.query ?? "").has("stream") ||
    /\btext\/event-stream\b/.test(request.headers.accept ?? "");
  if (!wantsStream)
    return {
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      text: journal.listJson(namespace),
    };
  const opened = journalStream(journal, { namespace });
  if ("busy" in opened)
    return jsonAnswer(429, {
      message: `at most ${maxSubscribers} journal streams at a time; close one (an inspector tab) and retry`,
    });
  return {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" },
    stream: opened.stream,
  };
}

/** `GET /__sandbox/requests.har`: the same entries as HAR 1.2, oldest first. */
export function requestsHar(journal: Journal, request: SandboxRequest): SandboxResponse {
  const answer = jsonAnswer(200, harOf(journal.list(namespaceOf(request)), request.headers.host ?? "127.0.0.1"));
  answer.headers["content-disposition"] = 'attachment; filename="cx-sandbox.har"';
  return answer;
}

/** `DELETE /__sandbox/requests`: forgets the entries (one namespace's with `?namespace=`). */
export function clearRequests(journal: Journal, request: SandboxRequest): SandboxResponse {
  journal.clear(namespaceOf(request));
  return { status: 204, headers: {} };
}
