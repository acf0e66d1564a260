// The Chromium the browser tests drive: Debian's where it is installed, else the build that ships
// inside the `@sparticuz/chromium` npm package (`pnpm install` brings it; no apt, no download).
//   CX_CHROMIUM=npm      always the npm-shipped build (.ci/run sets it, so CI proves the fresh-machine path)
//   CX_CHROMIUM=<path>   that Chromium binary
import { existsSync } from "node:fs";

export interface FoundChromium {
  executablePath: string;
  args: string[];
  /** What the test names say about it. */
  label: string;
}

const debianChromium = "/usr/bin/chromium";

/** Flags any Chromium here needs: no sandbox as root, and none of its own background traffic. */
const quietFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function findChromium(choice = process.env.CX_CHROMIUM ?? ""): Promise<FoundChromium> {
  if (choice !== "" && choice !== "npm") {
    if (!existsSync(choice))
      throw new Error(
        `CX_CHROMIUM=${choice}: no such file (use "npm" for the npm-shipped Chromium, or a Chromium binary)`,
      );
    return { executablePath: choice, args: quietFlags, label: choice };
  }
  if (choice === "" && existsSync(debianChromium))
    return { executablePath: debianChromium, args: quietFlags, label: `Debian's Chromium (${debianChromium})` };
  const { default: chromium } = await import("@sparticuz/chromium");
  // Unpacks the brotli-compressed binary to the temp folder once; later calls reuse it.
  const executablePath = await chromium.executablePath();
  const args = [...new Set([...chromium.args.filter((flag) => !flag.startsWith("--headless")), ...quietFlags])];
  return { executablePath, args, label: `the npm-shipped Chromium (@sparticuz/chromium, ${executablePath})` };
}
