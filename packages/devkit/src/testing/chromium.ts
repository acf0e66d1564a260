// The Chromium the browser tests drive: Debian's where it is installed, else the build that ships
// inside the `@sparticuz/chromium` npm package (`pnpm install` brings it; no apt, no download).
//   CX_CHROMIUM=npm      always the npm-shipped build (.ci/run sets it, so CI proves the fresh-machine path)
//   CX_CHROMIUM=<path>   that Chromium binary
// Each runs with the same flags. @sparticuz/chromium's own set is made for AWS Lambda: it includes
// --disable-web-security (a CORS test would pass whatever the server answers) and a software WebGL
// renderer that costs CPU for nothing here.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";

export interface FoundChromium {
  executablePath: string;
  /** What the test names say about it. */
  label: string;
}

const debianChromium = "/usr/bin/chromium";

/** Flags any Chromium here needs: no sandbox as root, and none of its own background traffic. */
const flags = [
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
    return { executablePath: choice, label: choice };
  }
  if (choice === "" && existsSync(debianChromium))
    return { executablePath: debianChromium, label: `Debian's Chromium (${debianChromium})` };
  const { default: npmChromium } = await import("@sparticuz/chromium");
  // Unpacks the brotli-compressed binary to the temp folder once; later calls reuse it.
  const executablePath = await npmChromium.executablePath();
  return { executablePath, label: `the npm-shipped Chromium (@sparticuz/chromium, ${executablePath})` };
}

export interface LaunchedChromium {
  context: BrowserContext;
  label: string;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A headless Chromium (see findChromium) with a fresh profile in the temp folder. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<LaunchedChromium> {
  const found = await findChromium();
  // Loaded here, not with the module: most tests that import the testing entry drive no browser.
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(join(tmpdir(), "cx-openapi-chromium-"));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true });
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: found.executablePath,
      headless: true,
      args: flags,
      ...options,
    });
    return {
      context,
      label: found.label,
      async close() {
        await context.close();
        removeProfile();
      },
    };
  } catch (error) {
    removeProfile();
    throw error;
  }
}
