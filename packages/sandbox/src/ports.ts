// Whether the ports a command will listen on are free, checked before it does any work (reading
// specs, building docs, starting Prism), so a busy port fails at once and names the flag that
// changes it. Each port is bound on the host the command will use and released at once; another
// program can still take it in between, so the real bind's EADDRINUSE is explained the same way.
import { createServer } from "node:net";
import { apiNames, type ApiName } from "@cx-openapi/spec";

/** A port a command will listen on, and the flag that sets it. 0 (a free port, picked later) is never busy. */
export interface PortClaim {
  port: number;
  flag: string;
}

const busyMessage = (claim: PortClaim, host: string) =>
  `port ${claim.port} (${claim.flag}) is in use on ${host}; stop what listens there, or choose another port with ${claim.flag}`;

/** Binds the port on `host` and releases it: undefined when it is free, else the error code (EADDRINUSE...). */
function probe(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Fails, naming each busy port's flag, when a port is in use on `host` (or cannot be bound there),
 * or when two flags name the same port. Resolves once every port was found free and released.
 */
export async function checkPortsFree(claims: PortClaim[], host = "127.0.0.1"): Promise<void> {
  const fixed = claims.filter((claim) => claim.port !== 0);
  const problems: string[] = [];
  for (const [i, claim] of fixed.entries()) {
    const twin = fixed.slice(i + 1).find((other) => other.port === claim.port);
    if (twin) problems.push(`port ${claim.port} is given to both ${claim.flag} and ${twin.flag}`);
  }
  if (problems.length === 0) {
    const codes = await Promise.all(fixed.map((claim) => probe(claim.port, host)));
    fixed.forEach((claim, i) => {
      const code = codes[i];
      if (code === "EADDRINUSE") problems.push(busyMessage(claim, host));
      else if (code) problems.push(`port ${claim.port} (${claim.flag}) cannot be bound on ${host}: ${code}`);
    });
  }
  if (problems.length) throw new Error(problems.join("; "));
}

/**
 * A listen that failed because the port was taken after the check (another program was faster):
 * the same message as the check's, naming the flag. Any other error is returned as it is.
 */
export function explainBusyPort(error: unknown, claims: PortClaim[], host = "127.0.0.1"): unknown {
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  const claim = claims.find((c) => c.port !== 0 && c.port === port);
  return code === "EADDRINUSE" && claim ? new Error(busyMessage(claim, host), { cause: error }) : error;
}

/** Each API's port of a launch, with the flag that sets it (`--relay-cdm-port`...). */
export function sandboxPortClaims(ports: Partial<Record<ApiName, number>>): PortClaim[] {
  return apiNames.map((api) => ({ port: ports[api] ?? 0, flag: `--${api}-port` }));
}
