// The Relay client itself, tried as an attacker would: its API key never follows a redirect to another origin,
// is refused with CR/LF at creation, and is refused in a browser page without the explicit opt-in.
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiKeyHeader, createRelayCdmClient, NetworkError } from "../../src/index.js";
import { useServers, sendJson } from "@cx-openapi/devkit/testing";

const apiKey = "rk_live_Redirect_Test_1";
const path = { client_id: "relay_developer", ccid: "BAK-11984-007" };
const { serve } = useServers();
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the Relay client's key never follows a redirect to another origin", () => {
  for (const code of [301, 302, 303, 307, 308]) {
    for (const method of ["GET", "POST"] as const) {
      it(`${code} after a ${method} to 127.0.0.1 on another port: NetworkError, the API key and the body stay home`, async () => {
        const other = await serve((_request, res) => sendJson(res, 200, {}));
        const api = await serve((_request, res) => res.writeHead(code, { location: `${other.url}/collect` }).end());
        const relay = createRelayCdmClient({ apiKey, baseUrl: api.url, retry: false });
        const call =
          method === "GET"
            ? relay.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path } })
            : relay.POST("/cdm/client/{client_id}/onboard", {
                params: { path: { client_id: path.client_id } },
                body: { product_group_id: "default", customer: { ccid: path.ccid, first_name: "Rogerina" } },
              });
        await expect(call).rejects.toBeInstanceOf(NetworkError);
        expect(api.requests[0]?.headers[apiKeyHeader]).toBe(apiKey);
        expect(other.requests).toHaveLength(0);
      });
    }
  }
});

describe("an API key with CR, LF or NUL is refused when the Relay client is created", () => {
  it("is refused at creation, without quoting it", () => {
    for (const bad of [`${apiKey}\r\nX-Injected: 1`, `${apiKey}\0`]) {
      expect(() => createRelayCdmClient({ apiKey: bad, baseUrl: "http://127.0.0.1:9" })).toThrow(
        new TypeError(
          "createRelayCdmClient: apiKey must not contain control characters (CR, LF, NUL) or non-Latin-1 ones",
        ),
      );
    }
  });
});

describe("the Relay client refuses its API key in a browser page without the opt-in", () => {
  it("is refused where window and document exist, unless dangerouslyAllowBrowser: true", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    expect(() => createRelayCdmClient({ apiKey, environment: "production" })).toThrow(
      /^@cx-openapi\/relay-cdm: an API key in a browser is readable by anyone; call the API from your backend \(or set dangerouslyAllowBrowser: true\)$/,
    );
    expect(() =>
      createRelayCdmClient({ apiKey, baseUrl: "http://127.0.0.1:4010", dangerouslyAllowBrowser: true }),
    ).not.toThrow();
  });
});
