// The fixture API's client as the runtime's tests call it: one item, its credentials, and the calls
// the tests make again and again. Shared by the runtime's unit tests only.
import { createItemsClient, type ItemsClientOptions } from "./fixtures/items-client.js";

export const apiKey = "ak_live_Items42";
export const clientSecret = "cs_live_Items_77";
export const item = { itemId: "it-1", name: "Rogerina Rabbit" };

export type ItemsClient = ReturnType<typeof createItemsClient>;

/** A fixture client with the API key, or with `token` when given; no retries unless asked. */
export const itemsClient = (options: { baseUrl: string; [option: string]: unknown }): ItemsClient =>
  createItemsClient({
    ...(options.token === undefined ? { apiKey } : {}),
    retry: false,
    ...options,
  } as unknown as ItemsClientOptions);

export const getItem = (c: ItemsClient, itemId = "it-1", init: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
  c.GET("/items/{itemId}", { params: { path: { itemId } }, ...init });

export const createItem = (c: ItemsClient) =>
  c.POST("/items", { body: { name: item.name, email: "roger@example.test" } });
