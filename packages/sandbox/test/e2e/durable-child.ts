// The sandbox as a child process for the crash test (durability.test.ts): both APIs on free ports,
// gate in process, the state in the data file given as the first argument, the specs in the folder
// given as the second. Prints one JSON line, the URLs, once it listens.
import { launchSandbox } from "../../src/launch.js";

const [dataFile, specDir] = process.argv.slice(2);
if (!dataFile || !specDir) throw new Error("usage: durable-child.ts <data file> <spec dir>");
const { running } = await launchSandbox({
  gate: "in-process",
  ports: { "relay-cdm": 0, hiirelevate: 0 },
  dataFile,
  specDir,
});
console.log(JSON.stringify(running.urls));
process.once("SIGTERM", () => void running.stop().then(() => process.exit(0)));
