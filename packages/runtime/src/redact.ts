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

/** Masks a client's credentials and, for one call, the call's personal values in what the runtime prints. */
export interface Redactor {
  /** Personal and secret JSON property names. */
  readonly properties: ReadonlySet<string>;
  /** Personal path parameters. */
  readonly pathParameters: ReadonlySet<string>;
  /** Remembers a credential to scrub from any text the runtime produces; keeps the 32 most recent. */
  addSecret(value: string | undefined): void;
  /**
   * A redactor for one call: it also scrubs, from any text, the values of the call's personal path
   * parameters and of the personal fields of its body (a server may echo them in a message).
   */
  forCall(pathParams: Record<string, unknown> | undefined, body?: unknown): Redactor;
  /** A deep copy of a JSON value with every personal or secret property masked; what lies deeper than 32 levels is masked whole. */
  body(value: unknown): unknown;
  /** Text with every secret and personal value of the call replaced, raw or percent-encoded. */
  text(text: string): string;
}

export function createRedactor(rules: RedactionRules): Redactor {
  const properties = new Set([...rules.piiProperties, ...secretProperties]);
  const pathParameters = new Set(rules.piiPathParameters);
  const secrets: string[] = [];

  const make = (callValues: readonly string[]): Redactor => {
    const text = (input: string) => {
      let out = input;
      for (const value of [...secrets, ...callValues])
        out = out.replaceAll(value, redacted).replaceAll(encodeURIComponent(value), redacted);
      return out;
    };
    const body = (value: unknown, depth = 0): unknown =>
      typeof value !== "object" || value === null
        ? typeof value === "string"
          ? text(value)
          : value
        : depth >= maxDepth
          ? redacted
          : Array.isArray(value)
            ? value.map((item) => body(item, depth + 1))
            : Object.fromEntries(
                Object.entries(value).map(([key, child]) => [
                  key,
                  properties.has(key) ? redacted : body(child, depth + 1),
                ]),
              );
    return {
      properties,
      pathParameters,
      text,
      body,
      addSecret(value) {
        if (!value || value.length < 3 || secrets.includes(value)) return;
        if (secrets.push(value) > 32) secrets.shift();
      },
      forCall(pathParams, callBody) {
        const values: string[] = [];
        for (const [name, value] of Object.entries(pathParams ?? {})) {
          if (pathParameters.has(name) && isScalar(value) && String(value)) values.push(String(value));
        }
        // The scalar values under personal properties, long enough (4+) not to mask ordinary words.
        const collect = (value: unknown, personal: boolean, depth: number): void => {
          if (depth > maxDepth) return;
          if (typeof value === "object" && value !== null) {
            for (const [key, child] of Object.entries(value))
              collect(child, personal || properties.has(key), depth + 1);
          } else if (personal && isScalar(value) && String(value).length >= 4) values.push(String(value));
        };
        collect(callBody, false, 0);
        return make(values);
      },
    };
  };
  return make([]);
}

function isScalar(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}
