// Runs a command's code in the test's own process, as its user would see it: what it prints with
// console.log, and the exit code it sets.

/** Runs `work` with console.log captured and process.exitCode cleared, then puts both back. */
export async function captureOutput(work: () => unknown): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const saved = process.exitCode;
  console.log = (line: string) => void lines.push(line);
  process.exitCode = undefined;
  try {
    await work();
    return { code: Number(process.exitCode ?? 0), out: lines.join("\n") };
  } finally {
    console.log = log;
    process.exitCode = saved;
  }
}
