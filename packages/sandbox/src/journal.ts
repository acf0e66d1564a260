// The request journal of one API: its last exchanges, newest first, and a live feed of each new one
// as server-sent events. Entries are redacted when they are made (journal-entry.ts), so the journal
// never holds a credential, nor personal data unless the sandbox was started with --journal-pii.
// Bounded: 500 entries, 20 live subscribers, each with a bounded queue. Transport-free: the front
// sends the event stream over node:http, sandboxFetch and MSW as a Response body.
import type { JournalEntry } from "./journal-entry.js";

export type { JournalEntry, JournalFault, JournalViolation } from "./journal-entry.js";

export const maxJournalEntries = 500;
export const maxSubscribers = 20;
/** A comment line this often keeps proxies and browsers from closing an idle stream. */
export const defaultHeartbeatMs = 15_000;
/** Events queued for a subscriber that does not read them; one more ends its stream. */
const maxQueued = 1000;

/**
 * An entry as the journal holds it: its JSON text, made once (a list and the stream send it as it
 * is, and 500 flat strings weigh less on the garbage collector than 500 trees of objects).
 */
interface Held {
  id: number;
  namespace: string;
  json: string;
}

type Listener = (entry: Held) => void;

export class Journal {
  #held: Held[] = [];
  #lastId = 0;
  readonly #listeners = new Set<Listener>();

  /** Adds an entry (numbered here), dropping the oldest beyond 500, and tells every subscriber. */
  add(entry: Omit<JournalEntry, "id">): void {
    const id = ++this.#lastId;
    const held = { id, namespace: entry.namespace, json: JSON.stringify({ id, ...entry }) };
    this.#held.push(held);
    if (this.#held.length > maxJournalEntries) this.#held.shift();
    for (const listener of this.#listeners) listener(held);
  }

  /** Newest first; only one namespace's ("" is the default one) when `namespace` is given. */
  list(namespace?: string): JournalEntry[] {
    return this.#kept(namespace).map((held) => JSON.parse(held.json) as JournalEntry);
  }

  /** `list` as JSON text, made of the texts the entries were kept as. */
  listJson(namespace?: string): string {
    return `[${this.#kept(namespace)
      .map((held) => held.json)
      .join(",")}]`;
  }

  /** Forgets every entry, or one namespace's. */
  clear(namespace?: string): void {
    this.#held = namespace === undefined ? [] : this.#held.filter((e) => e.namespace !== namespace);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** Calls `listener` with each new entry until the returned function is called; undefined when full. */
  subscribe(listener: Listener): (() => void) | undefined {
    if (this.#listeners.size >= maxSubscribers) return undefined;
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #kept(namespace: string | undefined): Held[] {
    const kept = namespace === undefined ? this.#held : this.#held.filter((e) => e.namespace === namespace);
    return kept.slice().reverse();
  }
}

export interface StreamOptions {
  heartbeatMs?: number;
}

/**
 * The journal's new entries as a `text/event-stream` body: a comment first, then one `data:` event
 * per entry (of `namespace` only, when given), and a heartbeat comment while nothing happens. It
 * ends when its reader cancels it, or when the reader falls too far behind. `busy` when the journal
 * has all the subscribers it takes.
 */
export function journalStream(
  journal: Journal,
  filter: { namespace?: string | undefined },
  { heartbeatMs = defaultHeartbeatMs }: StreamOptions = {},
): { stream: ReadableStream<Uint8Array> } | { busy: true } {
  if (journal.subscribers >= maxSubscribers) return { busy: true };
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (text: string) => {
          if ((controller.desiredSize ?? 0) < -maxQueued) {
            stop();
            return controller.close();
          }
          controller.enqueue(encoder.encode(text));
        };
        const unsubscribe = journal.subscribe((entry) => {
          if (filter.namespace === undefined || entry.namespace === filter.namespace)
            send(`id: ${entry.id}\ndata: ${entry.json}\n\n`);
        });
        const timer = setInterval(() => send(": heartbeat\n\n"), heartbeatMs);
        // A Node timer would otherwise keep the process alive for an open stream.
        (timer as { unref?: () => void }).unref?.();
        stop = () => {
          clearInterval(timer);
          unsubscribe?.();
        };
        send(": cx-sandbox request journal\nretry: 2000\n\n");
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: 16 },
  );
  return { stream };
}
