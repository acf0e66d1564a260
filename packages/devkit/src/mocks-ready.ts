// The contract tier's static mocks start while the first test files run (the global setup does not
// wait for them: scripts/test/setup/mocks.ts). A file that calls them waits here until each answers.
import { inject } from "vitest";

/** Waits until every mock of the contract tier answers HTTP; fails after `timeoutMs`. */
export async function mocksReady(timeoutMs = 90_000): Promise<Record<string, string>> {
  const urls = inject("mockUrls");
  const deadline = Date.now() + timeoutMs;
  for (const url of Object.values(urls)) {
    for (;;) {
      const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        async (response) => {
          await response.body?.cancel();
          return true;
        },
        () => false,
      );
      if (answered) break;
      if (Date.now() > deadline)
        throw new Error(
          `the static mock at ${url} did not answer within ${timeoutMs} ms: see the global setup's output`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return urls;
}
