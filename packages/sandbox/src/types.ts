// The sandbox's own request and response shapes: plain data, so the same handlers serve node:http,
// Mock Service Worker and in-process tests without a socket.

export interface SandboxRequest {
  method: string;
  /** The raw (still percent-encoded) pathname, without the query. */
  path: string;
  /** The raw query, without its `?`; undefined or empty when there is none. */
  query?: string | undefined;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body text; undefined or empty when none was sent. */
  body?: string | undefined;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON value; undefined for an empty body. */
  body?: unknown;
  /** A body that is not JSON (the sandbox's own pages), sent as it is, in place of `body`. */
  text?: string;
  /** A body sent as it comes, until it ends (the journal's server-sent events), in place of `body`. */
  stream?: ReadableStream<Uint8Array>;
}

/** The body a response is sent with: its `text`, else its JSON, else nothing. */
export function bodyText(response: SandboxResponse): string {
  if (response.text !== undefined) return response.text;
  return response.body === undefined ? "" : JSON.stringify(response.body);
}

/** What a handler of one operation gets: the path parameters, the parsed body and the caller's tenant. */
export interface HandlerInput<Path, Body> {
  path: Path;
  body: Body;
  /** Relay: the `client_id` path parameter. HiiRelevate: the tenant of the bearer token. */
  tenant: string;
}

// ---------------------------------------------------------------- typing from the generated `operations`

type Json<T> = T extends { content: { "application/json": infer B } } ? B : undefined;

/** The path parameters of an operation. */
export type PathOf<Op> = Op extends { parameters: { path: infer P } } ? P : Record<string, never>;

/** The JSON request body of an operation (`undefined` when optional and not sent). */
export type BodyOf<Op> = Op extends { requestBody: infer R }
  ? Json<R>
  : Op extends { requestBody?: infer R }
    ? Json<NonNullable<R>> | undefined
    : undefined;

/**
 * Every reply an operation's spec allows: a declared status with its JSON body, or no body where the
 * spec declares none. A handler returning anything else fails `pnpm typecheck`.
 */
export type ReplyOf<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & number]: R[S] extends { content: { "application/json": infer B } }
        ? { status: S; body: B; headers?: Record<string, string> }
        : { status: S; body?: undefined; headers?: Record<string, string> };
    }[keyof R & number]
  : never;

export type Handler<Op, State> = (input: HandlerInput<PathOf<Op>, BodyOf<Op>>, state: State) => ReplyOf<Op>;

/** One handler per operation of the spec, keyed by operationId. */
export type Handlers<Ops, State> = { [K in keyof Ops]: Handler<Ops[K], State> };
