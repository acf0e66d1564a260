// Typed errors: ApiError from throwOnError, the default result shape, unwrap, and instanceof across
// two copies of the errors module (as when a bundle holds two versions of the runtime).
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, createHooks, NetworkError, TimeoutError, unwrap, type ErrorEvent } from "../../src/index.js";
import { createItemsClient } from "../fixtures/items-client.js";
import { startLocalServer, type LocalServer } from "@cx-openapi/devkit/testing";

const path = { itemId: "it-11984" };
const operation = { method: "GET", path: "/items/{itemId}" };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that answers every request with this status, JSON body and `x-request-id: req-42`. */
async function answering(status: number, body: unknown) {
  server = await startLocalServer((_request, res) =>
    res.writeHead(status, { "content-type": "application/json", "x-request-id": "req-42" }).end(JSON.stringify(body)),
  );
  return server.url;
}

describe("ApiError", () => {
  it("is thrown with throwOnError: status, operation template, parsed body, request id, retryable", async () => {
    const client = createItemsClient({
      apiKey: "k3y",
      baseUrl: await answering(404, { message: "Item not found" }),
      throwOnError: true,
    });
    const error = await client.GET("/items/{itemId}", { params: { path } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    const apiError = error as ApiError;
    expect(apiError).toMatchObject({ name: "ApiError", status: 404, operation, requestId: "req-42", retryable: false });
    expect(apiError.body).toEqual({ message: "Item not found" });
    expect(apiError.response.status).toBe(404);
    expect(apiError.message).toBe("GET /items/{itemId} answered 404 (request id req-42)");
  });

  it("says whether the status is worth retrying", async () => {
    const client = createItemsClient({
      apiKey: "k3y",
      baseUrl: await answering(503, {}),
      throwOnError: true,
      retry: false,
    });
    await expect(client.GET("/items/{itemId}", { params: { path } })).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
  });

  it("is not thrown by default: the call returns { status, error, response }, without data (as openapi-fetch)", async () => {
    const client = createItemsClient({ apiKey: "k3y", baseUrl: await answering(404, { message: "Item not found" }) });
    const result = await client.GET("/items/{itemId}", { params: { path } });
    expect(Object.keys(result).sort()).toEqual(["error", "response", "status"]);
    expect(result.status).toBe(404);
    expect(result.data).toBeUndefined();
    expect(result.error).toEqual({ message: "Item not found" });
    expect(result.response.status).toBe(404);
  });

  it("is what unwrap() throws: the very error the client built for the result", async () => {
    const errors: ErrorEvent["error"][] = [];
    const client = createItemsClient({
      apiKey: "k3y",
      baseUrl: await answering(404, { message: "Item not found" }),
      hooks: createHooks({ onError: (event) => void errors.push(event.error) }),
    });
    const result = await client.GET("/items/{itemId}", { params: { path } });
    const thrown = await unwrap(result).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 404, operation, requestId: "req-42" });
    expect(errors).toHaveLength(1);
    expect(thrown).toBe(errors[0]);
  });

  it("is not thrown by unwrap() for a 2xx result, whose data it returns", async () => {
    const client = createItemsClient({
      apiKey: "k3y",
      baseUrl: await answering(200, { itemId: path.itemId, name: "a" }),
    });
    expect(await unwrap(client.GET("/items/{itemId}", { params: { path } }))).toEqual({
      itemId: path.itemId,
      name: "a",
    });
  });

  it("unwrap() refuses a failed result that no cx-openapi client made", async () => {
    const foreign = { data: undefined, error: {}, response: new Response(null, { status: 500 }) };
    await expect(unwrap(foreign)).rejects.toThrow("unwrap: the result did not come from a cx-openapi client");
  });
});

describe("instanceof", () => {
  const init = (status: number) => ({
    status,
    operation,
    body: {},
    redactedBody: {},
    response: new Response(null, { status }),
    retryable: false,
  });

  it("recognises errors made by a second copy of the module, and the other way round", async () => {
    const copyUrl = "../../src/errors.ts?copy"; // a distinct module instance, with its own classes
    const copy = (await import(/* @vite-ignore */ copyUrl)) as typeof import("../../src/errors.js");
    expect(copy.ApiError).not.toBe(ApiError);
    expect(new copy.ApiError(init(404))).toBeInstanceOf(ApiError);
    expect(new ApiError(init(404))).toBeInstanceOf(copy.ApiError);
    expect(new copy.NetworkError(operation, "reset", 1)).toBeInstanceOf(NetworkError);
    expect(new copy.TimeoutError(operation, 10, 1)).toBeInstanceOf(TimeoutError);
    expect(new copy.NetworkError(operation, "reset", 1)).not.toBeInstanceOf(ApiError);
  });

  it("tells the three kinds apart, and refuses look-alikes", () => {
    const network = new NetworkError(operation, "reset", 1);
    const timeout = new TimeoutError(operation, 10, 1);
    const api = new ApiError(init(500));
    expect(network).not.toBeInstanceOf(ApiError);
    expect(timeout).not.toBeInstanceOf(ApiError);
    expect(network).not.toBeInstanceOf(TimeoutError);
    expect(timeout).not.toBeInstanceOf(NetworkError);
    expect(api).not.toBeInstanceOf(NetworkError);
    for (const error of [network, timeout, api]) expect(error).toBeInstanceOf(Error);
    for (const lookAlike of [new Error("x"), { name: "ApiError", status: 500 }, null, "ApiError"]) {
      expect(lookAlike instanceof ApiError).toBe(false);
    }
  });
});
