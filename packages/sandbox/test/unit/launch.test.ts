// launchSandbox reads the specs it ships (dist/specs, beside the built code) or the folder it is
// given; it never reaches into the repository around it.
import { describe, expect, it } from "vitest";
import { launchSandbox } from "../../src/launch.js";

describe("launchSandbox", () => {
  it("from the sources, which ship no specs, asks for the folder of the bundles", async () => {
    const launching = launchSandbox({ gate: "in-process", ports: { "relay-cdm": 0, hiirelevate: 0 } });
    // Stopped, should it start after all, so no server outlives the test.
    void launching.then(
      ({ running }) => running.stop(),
      () => undefined,
    );
    await expect(launching).rejects.toThrow(/no bundled spec at \S+\/src\/specs\/relay-cdm\.json \(.*--spec-dir\)/);
  });
});
