// pnpm start: builds everything (bundles and generated code), then serves the mocks.
import { generateAll } from "./gen.js";
import { main } from "./lib/run.js";
import { serveMocks, stopOnSignal } from "./mock.js";

main(async () => {
  await generateAll();
  const { urls, stop } = await serveMocks(process.argv.slice(2));
  stopOnSignal(stop);
  console.log("\ncx-openapi is running:");
  for (const [name, url] of urls) console.log(`  ${name} mock  ${url}`);
  console.log("Press Ctrl-C to stop.");
});
