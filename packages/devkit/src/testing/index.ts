// @cx-openapi/devkit/testing: the helpers the tests of every package share, one small module each.
//   local-server   node:http servers on 127.0.0.1: recording, scripted faults, stopped after each test
//   fake-clock     fake setTimeout and Date while sockets stay real; waits without sleeping
//   leak-check     known secrets and personal values, hooks that record, checks that none leaks
//   console-capture  a command run in process: what it prints, the exit code it sets
//   temp-files     folders for a test's files, removed after it
//   tsc            snippets type-checked in one program: what a hover shows, what tsc says
//   processes      `pnpm <script>` started as a user does, watched, and stopped cleanly
//   curl           a docs curl sample run with sh, its answer parsed
//   server-probes  the attack probes every server must pass (SECURITY.md)
//   chromium       a headless Chromium with the project's flags
//   deviating-vendor  fake vendors (one per API) that break the spec on purpose, listing how
// Heavy dependencies (typescript, playwright-core) load on first use, so importing this entry is cheap.
export { startLocalServer, sendJson, script, useServers, type LocalServer, type Fault } from "./local-server.js";
export { useFakeClock, fakeClockPerTest, until, observe, runClock, type FakeClock } from "./fake-clock.js";
export { secrets, person, printed, recorder, expectNothingLeaks } from "./leak-check.js";
export { captureOutput } from "./console-capture.js";
export { useTempFiles } from "./temp-files.js";
export { checkSnippets, testDir, type Checked, type SnippetSet } from "./tsc.js";
export {
  descendants,
  hasEnded,
  exited,
  waitFor,
  isAlive,
  pnpmCommand,
  startPnpm,
  startReady,
  killTree,
  expectCleanStop,
  errorLine,
  type ProcessInfo,
  type Started,
  type PnpmOptions,
} from "./processes.js";
export { parseCurlOutput, runCurlSample, type CurlAnswer } from "./curl.js";
export {
  rawRequest,
  startCanary,
  hostileTargets,
  expectNoForwarding,
  nestedJson,
  worstOnboardBodies,
  type RawAnswer,
  type RawRequest,
  type Canary,
} from "./server-probes.js";
export { findChromium, launchChromium, type FoundChromium, type LaunchedChromium } from "./chromium.js";
export {
  startDeviatingVendor,
  vendorDeviations,
  personalValues,
  vendorPerson,
  type DeviatingVendor,
  type DeviatingVendorOptions,
  type DeviationKind,
  type VendorCall,
  type VendorDeviation,
} from "./deviating-vendor.js";
