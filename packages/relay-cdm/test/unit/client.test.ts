// What the Relay client wires into the runtime: its API key header and its x-client name.
import { describe, expect, it } from "vitest";
import { apiKeyHeader, createRelayCdmClient } from "../../src/index.js";
import packageJson from "../../package.json" with { type: "json" };
import { useServers, script } from "@cx-openapi/devkit/testing";

const { serve } = useServers();

describe("the Relay client", () => {
  it("sends its API key and x-client: @cx-openapi/relay-cdm/<version> on every request, retries included", async () => {
    const server = await serve(script({ status: 503 }, { status: 200, body: { ccid: "c-1" } }));
    const relay = createRelayCdmClient({ apiKey: "k3y-123", baseUrl: server.url, retry: { baseDelayMs: 0 } });
    await relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: "acme", ccid: "c-1" } },
    });
    expect(server.requests.map((r) => [r.headers["x-client"], r.headers[apiKeyHeader]])).toEqual(
      Array(2).fill([`@cx-openapi/relay-cdm/${packageJson.version}`, "k3y-123"]),
    );
  });
});
