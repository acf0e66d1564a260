export { loadApis, getApi, repoRoot, type Api } from "./apis.js";
export { startMock, freePort, type RunningMock, type MockOptions } from "./prism.js";
