// A streamed answer (the journal's server-sent events) over node:http: written as it comes, at the
// pace the client reads it, and ended cleanly (the last chunk sent) when the server stops.
import type { ServerResponse } from "node:http";
import type { SandboxResponse } from "./types.js";

/** The streams a front is sending, so that stopping the server ends them first. */
export class OpenStreams {
  readonly #open = new Map<() => void, Promise<void>>();

  track(end: () => void, finished: Promise<void>): () => void {
    this.#open.set(end, finished);
    return () => this.#open.delete(end);
  }

  /** Ends every stream and waits (at most `deadlineMs`) until each has sent its last chunk. */
  async endAll(deadlineMs = 1000): Promise<void> {
    const finished = [...this.#open.values()];
    for (const end of this.#open.keys()) end();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([Promise.allSettled(finished), deadline]);
    clearTimeout(timer);
  }
}

/** Sends `response.stream` until it ends, the client goes, or the server stops. */
export async function sendStream(
  res: ServerResponse,
  response: SandboxResponse & { stream: ReadableStream<Uint8Array> },
  open: OpenStreams,
): Promise<void> {
  const reader = response.stream.getReader();
  const end = () => void reader.cancel().catch(() => undefined);
  const finished = new Promise<void>((resolve) => res.once("close", resolve));
  const untrack = open.track(end, finished);
  res.once("close", end);
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
  } catch {
    // The stream failed: end the answer as it is.
  } finally {
    untrack();
    res.end();
  }
}

/** Until the client has taken what was written, or has gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}
