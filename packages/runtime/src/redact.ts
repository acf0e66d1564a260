/** What the runtime masks, from the spec's `x-pii` tags (generated) and the client's credentials. */
export interface RedactionRules {
  /** JSON property names whose values are personal data. */
  piiProperties: readonly string[];
  /** Path parameters whose values are personal data. */
  piiPathParameters: readonly string[];
}

export const redacted = "[redacted]";

/** How deep the redactor walks a body: bounded, so a hostile body cannot overflow the stack. */
const maxDepth = 32;

/** Headers that always carry credentials. */
const secretHeaders = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "xx-relay-api-key",
  "x-api-key",
]);
/** Body properties that always carry credentials, whatever the spec says. */
const secretProperties = [
  "access_token",
  "refresh_token",
  "id_token",
  "client_secret",
  "password",
  "apiKey",
  "api_key",
];

export class Redactor {
  private readonly properties: Set<string>;
  private readonly pathParameters: Set<string>;
  /** Credentials of this client (API key, recent tokens) that must never be printed. */
  private readonly secrets: string[] = [];

  constructor(
    rules: RedactionRules,
    /** Personal values of the current call (its personal path parameters), scrubbed like secrets. */
    private readonly callValues: readonly string[] = [],
    shared?: Redactor,
  ) {
    this.properties = new Set([...rules.piiProperties, ...secretProperties]);
    this.pathParameters = new Set(rules.piiPathParameters);
    if (shared) this.secrets = shared.secrets;
  }

  /** Remembers a credential to scrub from any text the runtime produces; keeps the 32 most recent. */
  addSecret(value: string | undefined): void {
    if (!value || value.length < 3 || this.secrets.includes(value)) return;
    this.secrets.push(value);
    if (this.secrets.length > 32) this.secrets.shift();
  }

  /**
   * A redactor for one call: it also scrubs, from any text, the values of the call's personal path
   * parameters and of the personal fields of its body (a server may echo them in a message).
   */
  forCall(pathParams: Record<string, unknown> | undefined, body?: unknown): Redactor {
    const values = Object.entries(pathParams ?? {}).flatMap(([name, value]) =>
      this.pathParameters.has(name) && isScalar(value) && String(value).length > 0 ? [String(value)] : [],
    );
    values.push(...this.personalValues(body));
    return new Redactor(
      { piiProperties: [...this.properties], piiPathParameters: [...this.pathParameters] },
      values,
      this,
    );
  }

  /** The scalar values under personal properties, long enough (4+) not to mask ordinary words. */
  private personalValues(value: unknown, personal = false, depth = 0): string[] {
    if (depth > maxDepth) return [];
    if (Array.isArray(value)) return value.flatMap((item) => this.personalValues(item, personal, depth + 1));
    if (typeof value === "object" && value !== null) {
      return Object.entries(value).flatMap(([key, child]) =>
        this.personalValues(child, personal || this.properties.has(key), depth + 1),
      );
    }
    return personal && isScalar(value) && String(value).length >= 4 ? [String(value)] : [];
  }

  /** A deep copy of a JSON value with every personal or secret property masked; what lies deeper than 32 levels is masked whole. */
  body(value: unknown, depth = 0): unknown {
    if (typeof value === "object" && value !== null && depth >= maxDepth) return redacted;
    if (Array.isArray(value)) return value.map((item) => this.body(item, depth + 1));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, child]) => [
          key,
          this.properties.has(key) ? redacted : this.body(child, depth + 1),
        ]),
      );
    }
    return typeof value === "string" ? this.text(value) : value;
  }

  /** The URL with its personal path segments masked, matched against the operation's path template. */
  url(url: string, pathTemplate: string): string {
    const parsed = new URL(url);
    const template = pathTemplate.split("/");
    const segments = parsed.pathname.split("/");
    const offset = segments.length - template.length; // the server's base path comes first
    template.forEach((part, i) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name !== undefined && this.pathParameters.has(name) && offset >= 0) segments[offset + i] = redacted;
    });
    parsed.pathname = segments.join("/");
    for (const key of [...parsed.searchParams.keys()]) {
      if (this.properties.has(key) || this.pathParameters.has(key)) parsed.searchParams.set(key, redacted);
    }
    return this.text(decodeURI(parsed.toString()));
  }

  /** Headers as a plain object, credentials masked. */
  headers(headers: Headers): Record<string, string> {
    const out: Record<string, string> = {};
    headers.forEach((value, name) => {
      out[name] = secretHeaders.has(name.toLowerCase()) ? redacted : this.text(value);
    });
    return out;
  }

  /** Text with every secret and personal value of the call replaced, raw or percent-encoded. */
  text(text: string): string {
    let out = text;
    for (const value of [...this.secrets, ...this.callValues]) {
      for (const form of new Set([value, encodeURIComponent(value)])) out = out.split(form).join(redacted);
    }
    return out;
  }
}

function isScalar(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}
