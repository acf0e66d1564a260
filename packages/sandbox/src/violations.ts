// Prism's `sl-violations` header, read: by the contract gate (gate.ts), which turns a violation into
// a 500, and by the request journal, which lists them. Transport-free.

/** A Prism violation, as listed in `sl-violations`. */
export interface Violation {
  location?: (string | number)[];
  severity?: string;
  code?: string | number;
  message?: string;
}

/**
 * Reads `sl-violations`. Prism cuts a header over 8 KB and prefixes it with "Too many violations!":
 * the cut list is not JSON, so it is judged by the sides it names.
 */
export function parseViolations(header: string | undefined): Violation[] {
  if (!header) return [];
  if (header.startsWith("Too many violations!")) {
    const side = header.includes('"location":["response"') ? "response" : "request";
    return [{ location: [side], severity: "Error", message: "more violations than Prism lists" }];
  }
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [{ location: ["response"], message: "unreadable sl-violations header" }];
  }
}

export function describeViolation(v: Violation): string {
  return `${(v.location ?? []).join(".")}: ${v.message ?? String(v.code ?? "violation")}`;
}
