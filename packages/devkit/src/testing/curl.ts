// A curl sample run as a reader pasting it into a terminal would: with sh, its `curl -i` output
// split into the status, the headers and the body.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CurlAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Splits `curl -i` output into its status, headers and body (the last response, after any 100 Continue). */
export function parseCurlOutput(output: string): CurlAnswer {
  const blocks = output.split(/\r?\n\r?\n/);
  let at = 0;
  while (/^HTTP\/[\d.]+ 100\b/.test(blocks[at] ?? "")) at += 1;
  const [head = "", ...rest] = blocks.slice(at);
  const [statusLine = "", ...headerLines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]);
  if (!status) throw new Error(`not a curl -i output:\n${output.slice(0, 300)}`);
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
    }),
  );
  return { status, headers, body: rest.join("\n\n") };
}

/** Runs a sample with sh (10 s deadline) and reads its answer. */
export async function runCurlSample(sample: string): Promise<CurlAnswer> {
  const { stdout } = await run("sh", ["-c", sample], { timeout: 10_000, maxBuffer: 1 << 20 });
  return parseCurlOutput(stdout);
}
