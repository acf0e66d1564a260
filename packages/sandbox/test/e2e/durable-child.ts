// The sandbox as a child process for the crash test (durability.test.ts): both APIs on free ports,
// gate in process, the state in the data file given as the only argument. Prints one JSON line, the
// URLs, once it listens.
import { launchSandbox } from "../../src/launch.js";

const dataFile = process.argv[2];
if (!dataFile) throw new Error("usage: durable-child.ts <data file>");
const { running } = await launchSandbox({ gate: "in-process", ports: { "relay-cdm": 0, hiirelevate: 0 }, dataFile });
console.log(JSON.stringify(running.urls));
process.once("SIGTERM", () => void running.stop().then(() => process.exit(0)));
