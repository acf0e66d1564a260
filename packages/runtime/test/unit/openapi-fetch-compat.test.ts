// openapi-fetch parity: every option and method of openapi-fetch 0.17's createClient and of its
// calls, through our client, with openapi-fetch's semantics. One test per feature, against a local
// echo server; where we differ on purpose the test pins our behaviour and the runtime README says why.
// Where openapi-fetch's own tests pin a case, the test runs it through bare openapi-fetch too.
import createClient, { type ClientOptions, type Middleware } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createHooks, NetworkError } from "../../src/index.js";
import { createItemsClient, type ItemsClientOptions } from "../fixtures/items-client.js";
import { startLocalServer, type LocalServer } from "@cx-openapi/devkit/testing";

let server: LocalServer;
/** What the echo server saw, as it answers by default. */
interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

beforeAll(async () => {
  server = await startLocalServer((request, res) => {
    const path = new URL(request.url, "http://x").pathname;
    if (path === "/text") return void res.writeHead(200, { "content-type": "text/plain" }).end("plain words");
    if (path === "/no-content") return void res.writeHead(204).end();
    if (path === "/empty") return void res.writeHead(200, { "content-length": "0" }).end();
    if (path === "/teapot") return void res.writeHead(418, { "content-type": "text/plain" }).end("short and stout");
    const echo: Echo = {
      method: request.method,
      url: request.url,
      headers: request.headers as Record<string, string>,
      body: request.body,
    };
    res.writeHead(200, { "content-type": "application/json", "x-echo": "1" }).end(JSON.stringify(echo));
  });
});
afterAll(() => server.close());

type Loose = Record<
  string,
  (
    path: string,
    init?: Record<string, unknown>,
  ) => Promise<{ status: number; data?: unknown; error?: unknown; response: Response }>
> & {
  use(...m: Middleware[]): void;
  eject(...m: Middleware[]): void;
  request(
    method: string,
    path: string,
    init?: Record<string, unknown>,
  ): Promise<{ status: number; data?: unknown; error?: unknown; response: Response }>;
};

/** A fixture client seen without its path types, to reach any route of the echo server. */
function items(options: Partial<ItemsClientOptions<boolean>> = {}): Loose {
  return createItemsClient({
    apiKey: "k3y-123",
    baseUrl: server.url,
    retry: false,
    ...options,
  } as ItemsClientOptions) as unknown as Loose;
}

/** Bare openapi-fetch against the same echo server, to check a case goes as it does there. */
function bare(options: Omit<ClientOptions, "baseUrl"> = {}): Loose {
  return createClient({ baseUrl: server.url, ...options }) as unknown as Loose;
}

async function echo(client: Loose, method: string, path: string, init?: Record<string, unknown>): Promise<Echo> {
  const result = await client[method]!(path, init);
  expect(result.response.status).toBe(200);
  return result.data as Echo;
}

describe("createClient options", () => {
  it("headers: client-level headers are sent, per-call ones and params.header override them, null removes one", async () => {
    const client = items({ headers: { "x-a": "client", "x-b": "client", "x-c": "client", "x-list": ["1", "2"] } });
    const seen = await echo(client, "GET", "/items/{itemId}", {
      params: { path: { itemId: "i" }, header: { "x-b": "param" } },
      headers: { "x-a": "call", "x-c": null },
    });
    expect(seen.headers).toMatchObject({ "x-a": "call", "x-b": "param", "x-list": "1, 2", "x-api-key": "k3y-123" });
    expect(seen.headers["x-c"]).toBeUndefined();
  });

  it("headers: a Headers object works; `x-client: null` leaves our x-client header out", async () => {
    const client = items({ headers: new Headers({ "x-a": "headers-object" }) });
    expect((await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } })).headers).toMatchObject(
      { "x-a": "headers-object", "x-client": "items-fixture/1.0.0" },
    );
    const quiet = items({ headers: { "x-client": null } });
    expect(
      (await echo(quiet, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } })).headers["x-client"],
    ).toBeUndefined();
  });

  it("headers: a body gets Content-Type application/json unless a header says otherwise", async () => {
    const client = items();
    const json = await echo(client, "POST", "/items", { body: { name: "n" } });
    expect(json.headers["content-type"]).toBe("application/json");
    expect(json.body).toBe('{"name":"n"}');
    const form = await echo(client, "POST", "/items", {
      body: { name: "n", note: "a b" },
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.body).toBe("name=n&note=a+b");
    const none = await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } });
    expect(none.headers["content-type"]).toBeUndefined();
  });

  it("headers: a call's empty, 0, false or undefined value overrides a client default as openapi-fetch does", async () => {
    const defaults = { foo: "bar", bar: "baz", baz: "bat", box: "cat" };
    const init = { headers: { foo: "", bar: 0, baz: undefined, box: false } };
    const sent = async (client: Loose) => {
      const { headers } = await echo(client, "GET", "/items", init);
      return { foo: headers.foo, bar: headers.bar, baz: headers.baz, box: headers.box };
    };
    const expected = { foo: "", bar: "0", baz: "bat", box: "false" };
    expect(await sent(bare({ headers: defaults }))).toEqual(expected);
    expect(await sent(items({ headers: defaults }))).toEqual(expected);
  });

  it("querySerializer: client-level options, merged with a call's; a function replaces them", async () => {
    const client = items({ querySerializer: { array: { style: "pipeDelimited", explode: false } } });
    const query = { tags: ["a", "b"], filter: { kind: "x" } };
    expect((await echo(client, "GET", "/items", { params: { query } })).url).toBe("/items?tags=a|b&filter[kind]=x");
    const merged = await echo(client, "GET", "/items", {
      params: { query },
      querySerializer: { object: { style: "form", explode: true } },
    });
    expect(merged.url).toBe("/items?tags=a|b&kind=x");
    const custom = await echo(client, "GET", "/items", { params: { query }, querySerializer: () => "q=custom" });
    expect(custom.url).toBe("/items?q=custom");
    const global = items({ querySerializer: (q: Record<string, unknown>) => `n=${Object.keys(q).length}` });
    expect((await echo(global, "GET", "/items", { params: { query } })).url).toBe("/items?n=2");
  });

  it("querySerializer: openapi-fetch's defaults (form explode arrays, deepObject objects, allowReserved)", async () => {
    const client = items();
    expect(
      (
        await echo(client, "GET", "/items", {
          params: { query: { tags: ["a", "b"], f: { k: "v" }, s: "a/b", empty: [], none: null } },
        })
      ).url,
    ).toBe("/items?tags=a&tags=b&f[k]=v&s=a%2Fb");
    const reserved = await echo(client, "GET", "/items", {
      params: { query: { s: "a/b" } },
      querySerializer: { allowReserved: true },
    });
    expect(reserved.url).toBe("/items?s=a/b");
  });

  it("bodySerializer: client-level, and a call's own wins", async () => {
    const client = items({ bodySerializer: (body: unknown) => `client:${JSON.stringify(body)}` });
    expect((await echo(client, "POST", "/items", { body: { name: "n" } })).body).toBe('client:{"name":"n"}');
    expect((await echo(client, "POST", "/items", { body: { name: "n" }, bodySerializer: () => "call" })).body).toBe(
      "call",
    );
  });

  it("bodySerializer: FormData is sent as multipart with the browser's boundary", async () => {
    const form = new FormData();
    form.set("name", "n");
    const seen = await echo(items(), "POST", "/items", { body: form });
    expect(seen.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body).toContain('name="name"');
  });

  it("pathSerializer: client-level and per call; still refused: a missing, empty or dot-segment parameter", async () => {
    const client = items({
      pathSerializer: (path: string, params: Record<string, unknown>) =>
        path.replace("{itemId}", `client-${String(params.itemId)}`),
    });
    expect((await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } })).url).toBe(
      "/items/client-i",
    );
    const call = await echo(client, "GET", "/items/{itemId}", {
      params: { path: { itemId: "i" } },
      pathSerializer: (path: string) => path.replace("{itemId}", "call"),
    });
    expect(call.url).toBe("/items/call");
    await expect(client.GET!("/items/{itemId}", { params: { path: { itemId: ".." } } })).rejects.toThrow(
      'path parameter itemId is required and must not be empty, "." or ".."',
    );
  });

  it("path templates: simple, label, matrix and explode styles, as openapi-fetch serializes them", async () => {
    const client = items();
    const path = { id: "x y", tags: ["a", "b"], pos: { x: 1, y: 2 } };
    expect((await echo(client, "GET", "/p/{id}/{tags}/{pos*}", { params: { path } })).url).toBe("/p/x%20y/a,b/x=1,y=2");
    expect((await echo(client, "GET", "/p/{.id}/{.tags*}", { params: { path } })).url).toBe("/p/.x%20y/.a.b");
    expect((await echo(client, "GET", "/p/{;id}/{;tags*}", { params: { path } })).url).toBe(
      "/p/;id=x%20y/;tags=a;tags=b",
    );
    await expect(client.GET!("/p/{.id}", { params: { path: {} } })).rejects.toThrow("path parameter id is required");
  });

  it("a call without params is checked too: the placeholder is never sent", async () => {
    const before = server.requests.length;
    await expect(items().GET!("/items/{itemId}")).rejects.toThrow(
      "path parameter itemId is required and must not be empty",
    );
    expect(server.requests.length).toBe(before);
  });

  it("fetch: the client's fetch is used, and a call's own fetch wins over it", async () => {
    const seen: string[] = [];
    const client = items({ fetch: (request) => (seen.push(`client ${request.method}`), fetch(request)) });
    await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } });
    await echo(client, "GET", "/items/{itemId}", {
      params: { path: { itemId: "i" } },
      fetch: (request: Request) => (seen.push(`call ${request.method}`), fetch(request)),
    });
    expect(seen).toEqual(["client GET", "call GET"]);
  });

  it("Request: a custom Request class builds the request fetch and middleware get, with the call's extra properties", async () => {
    class TracedRequest extends Request {
      readonly traced = true;
    }
    const got: Request[] = [];
    const client = items({ Request: TracedRequest, fetch: (request) => (got.push(request), fetch(request)) });
    await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } }, traceId: "t-1" });
    expect(got[0]).toBeInstanceOf(TracedRequest);
    expect((got[0] as unknown as { traceId: string }).traceId).toBe("t-1");
  });

  it("our own call options (timeoutMs, retry, redirect) are read by the client, never copied onto the Request", async () => {
    const got: Request[] = [];
    const client = items({ fetch: (request) => (got.push(request), fetch(request)) });
    await echo(client, "GET", "/items/{itemId}", {
      params: { path: { itemId: "i" } },
      timeoutMs: 5_000,
      retry: false,
      redirect: "follow",
      traceId: "t-2",
    });
    const request = got[0] as unknown as Record<string, unknown>;
    expect(["timeoutMs" in request, "retry" in request, request.redirect, request.traceId]).toEqual([
      false,
      false,
      "manual",
      "t-2",
    ]);
  });

  it("requestInitExt: handed to fetch as its second argument", async () => {
    const exts: unknown[] = [];
    const client = items({
      requestInitExt: { dispatcherHint: 1 },
      fetch: ((request: Request, ext: unknown) => (exts.push(ext), fetch(request))) as never,
    });
    await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } });
    expect(exts).toEqual([{ dispatcherHint: 1 }]);
  });

  it("RequestInit options (credentials, cache, keepalive...): client-level defaults, overridden per call", async () => {
    const got: Request[] = [];
    const client = items({
      credentials: "omit",
      cache: "no-store",
      fetch: (request) => (got.push(request), fetch(request)),
    });
    await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } } });
    await echo(client, "GET", "/items/{itemId}", { params: { path: { itemId: "i" } }, credentials: "include" });
    expect([got[0]!.credentials, got[0]!.cache, got[1]!.credentials]).toEqual(["omit", "no-store", "include"]);
  });

  it("signal: the client's and the call's signal are on the Request middleware and fetch see", async () => {
    const client = items({ signal: new AbortController().signal, fetch: (request) => fetch(request) });
    const signals: AbortSignal[] = [];
    const watch: Middleware = { onRequest: ({ request }) => void signals.push(request.signal) };
    const caller = new AbortController();
    await client.GET!("/items/{itemId}", {
      params: { path: { itemId: "i" } },
      middleware: [watch],
      signal: caller.signal,
    });
    caller.abort(new Error("stop"));
    expect(signals[0]!.aborted).toBe(true);
    const aborted = new AbortController();
    aborted.abort(new Error("gone"));
    await expect(
      items({ signal: aborted.signal }).GET!("/items/{itemId}", { params: { path: { itemId: "i" } } }),
    ).rejects.toThrow("gone");
  });

  it("baseUrl per call: another path on the same origin works; another origin is refused (the API key would go there)", async () => {
    const client = items();
    expect(
      (
        await echo(client, "GET", "/items/{itemId}", {
          params: { path: { itemId: "i" } },
          baseUrl: `${server.url}/v2/`,
        })
      ).url,
    ).toBe("/v2/items/i");
    await expect(
      client.GET!("/items/{itemId}", { params: { path: { itemId: "i" } }, baseUrl: "http://127.0.0.2:9" }),
    ).rejects.toThrow("the baseUrl of a call must be on the client's origin");
  });
});

describe('headers: { "content-type": null } on the client suppresses the default application/json', () => {
  const methods = ["PUT", "POST", "DELETE", "OPTIONS", "PATCH"];
  const bodies = [{ prop: "a" }, {}, "", "str", null, false, 0, 1, new Date("2024-08-07T09:52:00.836Z").toISOString()];
  const cases = methods.flatMap((method) => bodies.map((body) => [method, body] as const));
  const suppressed = { headers: { "content-type": null } };

  it.each(cases)("%s with the body %j: fetch's own type, as openapi-fetch sends", async (method, body) => {
    const ours = (await echo(items(suppressed), method, "/items", { body })).headers["content-type"];
    const theirs = (await echo(bare(suppressed), method, "/items", { body })).headers["content-type"];
    expect(ours).not.toBe("application/json");
    expect(ours).toBe(theirs);
  });
});

describe("call options and results", () => {
  it("parseAs: json (default), text, blob, arrayBuffer and stream", async () => {
    const client = items();
    const init = { params: { path: { itemId: "i" } } };
    expect(typeof (await client.GET!("/text", { parseAs: "text" })).data).toBe("string");
    expect((await client.GET!("/items/{itemId}", { ...init, parseAs: "blob" })).data).toBeInstanceOf(Blob);
    expect((await client.GET!("/items/{itemId}", { ...init, parseAs: "arrayBuffer" })).data).toBeInstanceOf(
      ArrayBuffer,
    );
    const stream = (await client.GET!("/items/{itemId}", { ...init, parseAs: "stream" })).data as ReadableStream;
    expect(JSON.parse(await new Response(stream).text())).toMatchObject({ method: "GET" });
  });

  it("results hold only the branch that happened: data on 2xx, error on the rest (a non-JSON error body as text)", async () => {
    const client = items();
    const ok = await client.GET!("/items/{itemId}", { params: { path: { itemId: "i" } } });
    expect(["data" in ok, "error" in ok]).toEqual([true, false]);
    const teapot = await client.GET!("/teapot");
    expect(["data" in teapot, "error" in teapot, teapot.error, teapot.status]).toEqual([
      false,
      true,
      "short and stout",
      418,
    ]);
  });

  it("204, HEAD and an empty body give data undefined", async () => {
    const client = items();
    expect((await client.DELETE!("/no-content")).data).toBeUndefined();
    expect((await client.HEAD!("/items/{itemId}", { params: { path: { itemId: "i" } } })).data).toBeUndefined();
    expect((await client.GET!("/empty")).data).toBeUndefined();
  });

  it("methods: GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS and request(method), each sending its method", async () => {
    const client = items();
    for (const method of ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]) {
      expect((await echo(client, method, "/items")).method).toBe(method);
      expect(((await client.request(method.toLowerCase(), "/items")).data as Echo).method).toBe(method);
    }
    expect((await client.HEAD!("/items")).response.headers.get("x-echo")).toBe("1");
  });

  it("TRACE and an unknown method reject (fetch refuses TRACE); they never throw synchronously", async () => {
    const client = items();
    const trace = client.TRACE!("/items");
    const unknown = client.request("brew", "/items");
    await expect(trace).rejects.toThrow(TypeError);
    await expect(unknown).rejects.toThrow(
      "request: method must be one of GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS, TRACE",
    );
  });
});

describe("middleware", () => {
  const path = { params: { path: { itemId: "i" } } };

  it("use: onRequest can change the request; eject removes it again", async () => {
    const client = items();
    const tag: Middleware = {
      onRequest({ request }) {
        request.headers.set("x-tag", "used");
        return request;
      },
    };
    client.use(tag);
    expect((await echo(client, "GET", "/items/{itemId}", path)).headers["x-tag"]).toBe("used");
    client.eject(tag);
    expect((await echo(client, "GET", "/items/{itemId}", path)).headers["x-tag"]).toBeUndefined();
  });

  it("use: a new Request replaces the request; a Response short-circuits fetch", async () => {
    const client = items();
    const before = server.requests.length;
    client.use({
      onRequest: ({ request }) =>
        new URL(request.url).pathname === "/short"
          ? new Response('{"short":true}', { status: 200, headers: { "content-type": "application/json" } })
          : undefined,
    });
    client.use({ onRequest: ({ request }) => new Request(request.url.replace("/swap", "/swapped"), request) });
    expect((await client.GET!("/short")).data).toEqual({ short: true });
    expect(server.requests.length).toBe(before);
    expect((await echo(client, "GET", "/swap")).url).toBe("/swapped");
  });

  it("use: onResponse can replace the response; middleware sees schemaPath, params, id and options", async () => {
    const client = items();
    const seen: { schemaPath: string; params: unknown; id: string; fetch: unknown }[] = [];
    client.use({
      onResponse({ response, schemaPath, params, id, options }) {
        seen.push({ schemaPath, params, id, fetch: options.fetch });
        return response.status === 418
          ? new Response('"brewed"', { status: 200, headers: { "content-type": "application/json" } })
          : undefined;
      },
    });
    expect((await client.GET!("/teapot")).data).toBe("brewed");
    await client.GET!("/items/{itemId}", path);
    expect(seen[1]).toMatchObject({ schemaPath: "/items/{itemId}", params: path.params });
    expect(seen[0]!.id).not.toBe(seen[1]!.id);
    expect(typeof seen[0]!.fetch).toBe("function");
  });

  it("use: onError can turn a fetch error into a response, or into another error", async () => {
    const down = await startLocalServer(() => undefined);
    await down.close();
    const recover = items({ baseUrl: down.url });
    recover.use({
      onError: () => new Response('"fallback"', { status: 200, headers: { "content-type": "application/json" } }),
    });
    expect((await recover.GET!("/items/{itemId}", path)).data).toBe("fallback");
    const replace = items({ baseUrl: down.url });
    const mine = new Error("offline, says my middleware");
    replace.use({ onError: () => mine });
    await expect(replace.GET!("/items/{itemId}", path)).rejects.toBe(mine);
  });

  it("use validates like openapi-fetch: a middleware must have onRequest, onResponse or onError", () => {
    expect(() => items().use({} as Middleware)).toThrow(
      "Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`",
    );
  });

  it("order: client middleware, then the call's, then hooks and auth on the way out; the reverse on the way back", async () => {
    const order: string[] = [];
    const mark = (name: string): Middleware => ({
      onRequest: () => void order.push(`${name} request`),
      onResponse: () => void order.push(`${name} response`),
    });
    const client = items({
      hooks: createHooks({
        onRequest: () => void order.push("hook request"),
        onResponse: () => void order.push("hook response"),
      }),
    });
    client.use(mark("client"));
    await client.GET!("/items/{itemId}", { ...path, middleware: [mark("call")] });
    expect(order).toEqual([
      "client request",
      "call request",
      "hook request",
      "hook response",
      "call response",
      "client response",
    ]);
  });

  it("a call's middleware runs even when the client has hooks (consoleLogger and the like)", async () => {
    const client = items({ hooks: createHooks({ onRequest: () => undefined }) });
    const seen = await echo(client, "GET", "/items/{itemId}", {
      ...path,
      middleware: [{ onRequest: ({ request }: { request: Request }) => (request.headers.set("x-call", "1"), request) }],
    });
    expect(seen.headers["x-call"]).toBe("1");
  });
});

describe("errors", () => {
  it("a fetch error becomes a NetworkError whose cause is a copy of what fetch threw, class and code included", async () => {
    const down = await startLocalServer(() => undefined);
    await down.close();
    const error = (await items({ baseUrl: down.url }).GET!("/items/{itemId}", {
      params: { path: { itemId: "it-1" } },
    }).catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe("fetch failed");
    expect(((error.cause as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("a cause quoting a personal value of the call is a redacted copy, with its name and code", async () => {
    const failing = Object.assign(new Error("connect to /items/ITEM-PII-555 failed"), { code: "ECONNRESET" });
    const client = items({ fetch: () => Promise.reject(failing) });
    const error = (await client.GET!("/items/{itemId}", { params: { path: { itemId: "ITEM-PII-555" } } }).catch(
      (e: unknown) => e,
    )) as NetworkError;
    expect(error.cause).not.toBe(failing);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({
      name: "Error",
      message: "connect to /items/[redacted] failed",
      code: "ECONNRESET",
    });
  });

  it("an error the caller's middleware throws reaches the caller as it is", async () => {
    const mine = new Error("my middleware says no");
    const client = items();
    await expect(
      client.GET!("/items/{itemId}", {
        params: { path: { itemId: "i" } },
        middleware: [{ onRequest: () => Promise.reject(mine) }],
      }),
    ).rejects.toBe(mine);
  });

  it("throwOnError turns non-2xx into ApiError, as before", async () => {
    await expect(items({ throwOnError: true }).GET!("/teapot")).rejects.toBeInstanceOf(ApiError);
  });

  it('redirect: "manual" returns the redirect as it is; "error" ends the call with a NetworkError', async () => {
    const moving = await startLocalServer((_request, res) => void res.writeHead(302, { location: "/elsewhere" }).end());
    try {
      const manual = await items({ baseUrl: moving.url, redirect: "manual" }).GET!("/items/{itemId}", {
        params: { path: { itemId: "i" } },
      });
      expect([manual.status, manual.response.headers.get("location")]).toEqual([302, "/elsewhere"]);
      await expect(
        items({ baseUrl: moving.url }).GET!("/items/{itemId}", {
          params: { path: { itemId: "i" } },
          redirect: "error",
        }),
      ).rejects.toThrow('answered 302: a redirect, refused (redirect: "error")');
      expect(() => items({ redirect: "sideways" as RequestRedirect })).toThrow(
        'redirect must be one of follow, manual, error; got "sideways"',
      );
    } finally {
      await moving.close();
    }
  });
});
