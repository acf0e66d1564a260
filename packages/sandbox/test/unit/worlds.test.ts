// What a test or a frontend controls of the sandbox, in process: namespaces that keep their own
// state, faults, overrides and clock; overrides checked against the spec; a clock that moves token
// expiry and segment memberships; a reset that keeps to the API it is called on.
import { describe, expect, it } from "vitest";
import { sandboxFetch } from "../../src/fetch.js";
import { inProcess, relayBase, hiiBase } from "../helpers.js";

const key = { "xx-relay-api-key": "k", "content-type": "application/json" };
const onboard = (ccid: string) =>
  JSON.stringify({ product_group_id: "default", customer: { ccid, first_name: "Ada" } });

function relayOf(sandbox = inProcess()) {
  const fetch = sandboxFetch(sandbox, "relay-cdm");
  const call = (path: string, init: RequestInit = {}, namespace?: string) =>
    fetch(`${relayBase}${path}`, {
      ...init,
      headers: { ...key, ...(namespace ? { "x-sandbox-namespace": namespace } : {}), ...(init.headers as object) },
    });
  return { sandbox, call };
}

describe("namespaces", () => {
  it("keep their own state, faults and overrides: two workers on one sandbox do not meet", async () => {
    const { call } = relayOf();
    expect((await call("/cdm/client/c1/onboard", { method: "POST", body: onboard("A-1") }, "worker-1")).status).toBe(
      200,
    );
    expect((await call("/cdm/client/c1/customer/A-1", {}, "worker-1")).status).toBe(200);
    expect((await call("/cdm/client/c1/customer/A-1", {}, "worker-2")).status).toBe(404);
    expect((await call("/cdm/client/c1/customer/A-1")).status).toBe(404);
    const rule = JSON.stringify([{ status: 503 }]);
    expect((await call("/__sandbox/faults", { method: "PUT", body: rule }, "worker-2")).status).toBe(204);
    expect((await call("/cdm/client/c1/customer/A-1", {}, "worker-2")).status).toBe(503);
    expect((await call("/cdm/client/c1/customer/A-1", {}, "worker-1")).status).toBe(200);
  });

  it("are refused when their name is not one, naming the header", async () => {
    const { call } = relayOf();
    const answer = await call("/cdm/client/c1/customer/A-1", {}, "../other");
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      message: 'x-sandbox-namespace must be 1 to 64 letters, digits, ".", "_" or "-"',
    });
  });
});

describe("overrides", () => {
  it("answer matching calls (by operation, method and body) for as many times as they say, then stop", async () => {
    const { call } = relayOf();
    await call("/cdm/client/c1/onboard", { method: "POST", body: onboard("O-1") });
    const override = [
      {
        match: { operationId: "getCustomer" },
        response: { status: 404, body: { message: "gone for the test" } },
        times: 1,
      },
      {
        match: { method: "POST", body: { customer: { ccid: "O-2" } } },
        response: { status: 200, body: { message: "Accepted" } },
      },
    ];
    expect((await call("/__sandbox/overrides", { method: "PUT", body: JSON.stringify(override) })).status).toBe(204);
    const first = await call("/cdm/client/c1/customer/O-1");
    expect([first.status, await first.json()]).toEqual([404, { message: "gone for the test" }]);
    expect((await call("/cdm/client/c1/customer/O-1")).status).toBe(200);
    expect((await call("/cdm/client/c1/onboard", { method: "POST", body: onboard("O-2") })).status).toBe(200);
    expect((await call("/cdm/client/c1/customer/O-2")).status).toBe(404);
  });

  it("that break the spec are a 500 that says so", async () => {
    const { call } = relayOf();
    const broken = [{ match: { operationId: "getCustomer" }, response: { status: 200, body: { first_name: 5 } } }];
    await call("/__sandbox/overrides", { method: "PUT", body: JSON.stringify(broken) });
    const answer = await call("/cdm/client/c1/customer/X-1");
    expect(answer.status).toBe(500);
    expect(((await answer.json()) as { title: string }).title).toBe("The sandbox's response breaks the spec");
  });

  it("are refused with each problem named", async () => {
    const { call } = relayOf();
    const bad = [{ match: { verb: "GET" }, response: { status: 99, headers: { "x-a": "1\r\nx-b: 2" } } }];
    const answer = await call("/__sandbox/overrides", { method: "PUT", body: JSON.stringify(bad) });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message.split("; ")).toEqual([
      "property [0].match.verb should not exist",
      "[0].response.status must be a whole number from 100 to 599",
      "[0].response.headers must map header names to values of visible ASCII characters",
    ]);
  });
});

describe("the clock", () => {
  it("moves token expiry: a token is refused once the clock passes its expires_in", async () => {
    const sandbox = inProcess();
    const fetch = sandboxFetch(sandbox, "hiirelevate");
    const token = await fetch(`${hiiBase}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=app&client_secret=s",
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const health = () =>
      fetch(`${hiiBase}/customers/00000000-0000-4000-8000-000000000009`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
    expect((await health()).status).toBe(404);
    const moved = await fetch(`${hiiBase}/__sandbox/clock`, {
      method: "PUT",
      body: JSON.stringify({ advanceMs: 3_600_001 }),
    });
    expect(moved.status).toBe(200);
    expect((await health()).status).toBe(401);
  });

  it("is set, frozen and read back; a bad change names the field", async () => {
    const fetch = sandboxFetch(inProcess(), "relay-cdm");
    const put = (body: unknown) => fetch(`${relayBase}/__sandbox/clock`, { method: "PUT", body: JSON.stringify(body) });
    const set = await put({ now: "2030-01-02T03:04:05.000Z", frozen: true });
    expect(await set.json()).toMatchObject({ now: "2030-01-02T03:04:05.000Z", frozen: true });
    expect(await (await put({ advanceMs: 1000 })).json()).toMatchObject({ now: "2030-01-02T03:04:06.000Z" });
    const bad = await put({ now: "soon", advanceMs: 1.5, at: 1 });
    expect(((await bad.json()) as { message: string }).message).toBe(
      "property at should not exist; now must be a date-time (ISO 8601); advanceMs must be a whole number from -315360000000 to 315360000000",
    );
  });
});

describe("reset", () => {
  it("returns the API it is called on to its seed, and every API with ?api=all", async () => {
    const sandbox = inProcess({ empty: true });
    const relay = sandboxFetch(sandbox, "relay-cdm");
    await relay(`${relayBase}/cdm/client/c1/onboard`, { method: "POST", headers: key, body: onboard("R-1") });
    const hii = sandboxFetch(sandbox, "hiirelevate");
    const created = await hii(`${hiiBase}/customers`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ displayName: "Ada", email: [{ value: "ada@example.com" }] }),
    });
    expect(created.status).toBe(201);
    await hii(`${hiiBase}/__sandbox/reset`, { method: "POST" });
    expect(Object.keys(sandbox.store.state.hiirelevate.tenants)).toEqual([]);
    expect(Object.keys(sandbox.store.state.relayCdm.clients)).toEqual(["c1"]);
    await hii(`${hiiBase}/__sandbox/reset?api=all`, { method: "POST" });
    expect(Object.keys(sandbox.store.state.relayCdm.clients)).toEqual([]);
  });
});
