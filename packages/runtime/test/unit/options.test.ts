import { describe, expect, it } from "vitest";
import { requireEveryPathParameter, requireText, resolveBaseUrl } from "../../src/index.js";
import { checkPathParameters } from "../../src/options.js";

const environments = { production: "https://api.example.com", staging: "https://staging.example.com" };

describe("resolveBaseUrl", () => {
  it("picks a named environment", () => {
    expect(resolveBaseUrl("c", { environment: "staging" }, environments)).toBe("https://staging.example.com");
  });
  it("takes an explicit http(s) URL", () => {
    expect(resolveBaseUrl("c", { baseUrl: "http://127.0.0.1:4010" }, environments)).toBe("http://127.0.0.1:4010");
  });
  it("names the option and the rule when it is wrong", () => {
    expect(() => resolveBaseUrl("c", { environment: "dev" }, environments)).toThrow(
      'c: environment must be one of production, staging; got "dev"',
    );
    expect(() => resolveBaseUrl("c", { environment: "toString" }, environments)).toThrow(/environment must be one of/);
    expect(() => resolveBaseUrl("c", { baseUrl: "ftp://x" }, environments)).toThrow(
      "c: baseUrl must be an absolute http(s) URL",
    );
    expect(() => resolveBaseUrl("c", {}, environments)).toThrow(
      "c: give either environment (production, staging) or baseUrl (an http(s) URL), not both",
    );
    expect(() => resolveBaseUrl("c", {}, {})).toThrow("c: give either environment (none) or baseUrl");
    expect(() => resolveBaseUrl("c", { environment: "staging", baseUrl: "http://x" }, environments)).toThrow(
      "c: give either environment (production, staging) or baseUrl (an http(s) URL), not both",
    );
  });
});

describe("requireText", () => {
  it("rejects empty and non-string values, naming the option", () => {
    expect(requireText("c", "apiKey", "k")).toBe("k");
    expect(() => requireText("c", "apiKey", " ")).toThrow("c: apiKey must be a non-empty string");
    expect(() => requireText("c", "apiKey", undefined)).toThrow("c: apiKey must be a non-empty string");
  });
});

describe("requireEveryPathParameter", () => {
  it("encodes reserved characters", () => {
    expect(requireEveryPathParameter("/a/{id}", { id: "x y+/#?" })).toBe("/a/x%20y%2B%2F%23%3F");
  });
  it("refuses a missing or empty parameter instead of sending a broken URL", () => {
    expect(() => requireEveryPathParameter("/a/{id}/b/{other}", { id: "1" })).toThrow(
      'path parameter other is required and must not be empty, "." or ".." (/a/{id}/b/{other})',
    );
    expect(() => requireEveryPathParameter("/a/{id}", { id: "" })).toThrow("path parameter id is required");
  });
});

describe("checkPathParameters", () => {
  it("reads a template's parameter names once, and still checks every call against them", () => {
    const template = "/c/{client_id}/x/{.label}/{;matrix}/{tags*}";
    const path = { client_id: "a", label: "b", matrix: "c", tags: ["d"] };
    expect(() => checkPathParameters(template, path)).not.toThrow();
    // The second call finds the names cached; its own values are what is checked.
    expect(() => checkPathParameters(template, { ...path, label: ".." })).toThrow("path parameter label is required");
    expect(() => checkPathParameters(template, { ...path, tags: undefined })).toThrow(
      "path parameter tags is required",
    );
  });

  it("keeps working past the cache's bound, for paths built at run time", () => {
    for (let i = 0; i < 600; i++) checkPathParameters(`/run-time/${i}/{id}`, { id: String(i) });
    expect(() => checkPathParameters("/run-time/599/{id}", { id: "" })).toThrow("path parameter id is required");
    expect(() => checkPathParameters("/run-time/600/{id}/{other}", { id: "1" })).toThrow(
      "path parameter other is required",
    );
  });
});
