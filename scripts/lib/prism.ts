// The Prism launcher lives in the publishable @cx-openapi/sandbox (its gate runs `prism proxy`);
// the commands and tests use the same one.
export { startMock, freePort, type RunningMock, type MockOptions } from "@cx-openapi/sandbox";
