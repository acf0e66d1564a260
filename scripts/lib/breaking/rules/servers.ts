// Servers: a server tagged `x-environment` is a value of the clients' `environment` option, so its
// removal is breaking; any other server URL removed or changed is a warning.
import type { OpenApiDoc } from "@cx-openapi/spec";
import type { Report } from "../context.js";
import { defineRules } from "../rule.js";

export const serverRules = defineRules({
  "server-environment-removed": {
    severity: "breaking",
    summary: "A server tagged `x-environment` (a value of the clients' `environment` option) was removed.",
  },
  "server-removed": { severity: "warning", summary: "A server URL was removed or changed." },
});

type Id = keyof typeof serverRules;
type Obj = Record<string, unknown>;

export function compareServers(before: OpenApiDoc, after: OpenApiDoc, report: Report<Id>): void {
  const servers = (doc: OpenApiDoc) => (Array.isArray(doc.servers) ? (doc.servers as Obj[]) : []);
  const newServers = servers(after);
  for (const server of servers(before)) {
    const environment = server["x-environment"];
    if (typeof environment === "string" && !newServers.some((s) => s["x-environment"] === environment)) {
      report("server-environment-removed", {}, `the ${environment} server (x-environment: ${environment}) was removed`);
    } else if (!newServers.some((s) => s.url === server.url)) {
      report("server-removed", {}, `server ${String(server.url)} was removed or changed`);
    }
  }
}
