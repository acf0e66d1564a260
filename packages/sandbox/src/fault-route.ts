// `GET`, `PUT` and `DELETE /__sandbox/faults`: the global fault rules of one API.
import { checkFaultRules, type FaultInjector } from "./faults.js";
import { controlPrefix } from "./control-routes.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

const json = (status: number, body?: unknown): SandboxResponse =>
  body === undefined ? { status, headers: {} } : { status, headers: { "content-type": "application/json" }, body };

/** The answer of the faults route, or undefined when the request is for another route. */
export function faultRoute(faults: FaultInjector, request: SandboxRequest): SandboxResponse | undefined {
  if (request.path !== `${controlPrefix}/faults`) return undefined;
  switch (request.method.toUpperCase()) {
    case "GET":
      return json(200, faults.rules);
    case "DELETE":
      faults.clear();
      return json(204);
    case "PUT":
      return setRules(faults, request.body);
    default:
      return json(405, { message: "use GET, PUT or DELETE" });
  }
}

function setRules(faults: FaultInjector, body: string | undefined): SandboxResponse {
  let value: unknown;
  try {
    value = JSON.parse(body || "null");
  } catch {
    return json(400, { message: "(body) is not valid JSON" });
  }
  const checked = checkFaultRules(value);
  if ("problems" in checked) return json(400, { message: checked.problems.join("; ") });
  faults.set(checked.rules);
  return json(204);
}
