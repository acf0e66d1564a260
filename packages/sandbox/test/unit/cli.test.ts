// cx-sandbox's options as launchSandbox gets them: each flag, and a bad value named by its flag.
import { describe, expect, it } from "vitest";
import { parseCli } from "../../src/cli.js";

describe("cx-sandbox options", () => {
  it("map to launchSandbox's options; ports take 0 for a free one", () => {
    const options = parseCli(
      [
        "--relay-cdm-port=0",
        "--max-body-bytes=2048",
        "--max-depth=8",
        "--max-violations=5",
        "--host=0.0.0.0",
        "--cors-origin=http://127.0.0.1:5173",
        "--cors-origin=http://127.0.0.1:5174",
      ],
      { CX_SANDBOX_ADMIN_TOKEN: "from-env" },
    );
    expect(options).toMatchObject({
      ports: { "relay-cdm": 0, hiirelevate: 4011 },
      limits: { bodyBytes: 2048, depth: 8, violations: 5 },
      host: "0.0.0.0",
      adminToken: "from-env",
      corsOrigins: ["http://127.0.0.1:5173", "http://127.0.0.1:5174"],
    });
    expect(parseCli(["--admin-token", "flag"], { CX_SANDBOX_ADMIN_TOKEN: "env" })?.adminToken).toBe("flag");
    expect(parseCli(["--help"])).toBeUndefined();
  });

  it("--empty starts blank, --persist keeps the state in .sandbox/state.json", () => {
    expect(parseCli(["--empty"], {})).toMatchObject({ empty: true });
    expect(parseCli(["--persist"], {})).toMatchObject({ persist: true });
    expect(parseCli([], {})).toMatchObject({ empty: undefined, persist: undefined, dataFile: undefined });
  });

  it.each([
    [["--persist", "--data", "state.json"], "--persist and --data both say where the state is kept; pass one"],
    [["--empty", "--seed", "fixtures.json"], "--empty and --seed both say what the sandbox starts from; pass one"],
  ])("refuses %j, naming both flags", (args, message) => {
    expect(() => parseCli(args, {})).toThrow(message);
  });

  it("--faults and --spec take <api>=<file>, repeated per API", () => {
    const options = parseCli(
      ["--faults", "relay-cdm=faults.json", "--spec", "hiirelevate=dir/a=b.json", "--faults", "hiirelevate=h.json"],
      {},
    );
    expect(options).toMatchObject({
      faultFiles: { "relay-cdm": "faults.json", hiirelevate: "h.json" },
      specFiles: { hiirelevate: "dir/a=b.json" },
    });
    expect(parseCli([], {})).toMatchObject({ faultFiles: {}, specFiles: {} });
  });

  it.each([
    [
      ["--faults", "faults.json"],
      '--faults takes <api>=<file>, the API one of relay-cdm, hiirelevate; got "faults.json"',
    ],
    [
      ["--spec", "relay=patched.json"],
      '--spec takes <api>=<file>, the API one of relay-cdm, hiirelevate; got "relay=patched.json"',
    ],
    [["--spec", "relay-cdm="], '--spec takes <api>=<file>, the API one of relay-cdm, hiirelevate; got "relay-cdm="'],
    [
      ["--faults", "relay-cdm=a.json", "--faults", "relay-cdm=b.json"],
      "--faults names relay-cdm twice; give one file per API",
    ],
  ])("refuses %j, naming the flag and what it takes", (args, message) => {
    expect(() => parseCli(args, {})).toThrow(message);
  });

  it.each([
    [["--max-depth", "0"], '--max-depth must be a whole number from 1 to 1000; got "0"'],
    [["--max-body-bytes", "1e6"], '--max-body-bytes must be a whole number from 1 to 67108864; got "1e6"'],
    [["--relay-cdm-port", "70000"], '--relay-cdm-port must be a whole number from 0 to 65535; got "70000"'],
  ])("refuses %j, naming the flag and the rule", (args, message) => {
    expect(() => parseCli(args, {})).toThrow(message);
  });
});
