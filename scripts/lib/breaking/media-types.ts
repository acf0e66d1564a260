// Which media type of a content map stands for another: how request bodies and responses are paired.
import { isJsonType, isObject } from "@cx-openapi/spec";

type Obj = Record<string, unknown>;

/** `type/subtype` in lower case, without parameters. */
const essence = (type: string) => type.split(";")[0]!.trim().toLowerCase();

/**
 * The entry of `content` that stands for media type `type`: the same key, else the same type
 * ignoring parameters and case, else one of the JSON family (`application/json`, `*\/*+json`), else
 * a wildcard (`type/*`, `*\/*`).
 */
export function mediaMatch(content: Obj, type: string): Obj | undefined {
  const entries = Object.entries(content).filter((entry): entry is [string, Obj] => isObject(entry[1]));
  const find = (test: (key: string) => boolean) => entries.find(([key]) => test(key))?.[1];
  const [main] = essence(type).split("/");
  return (
    find((key) => key === type) ??
    find((key) => essence(key) === essence(type)) ??
    (isJsonType(type) ? find(isJsonType) : undefined) ??
    find((key) => essence(key) === `${main}/*`) ??
    find((key) => essence(key) === "*/*")
  );
}

/** Each media type of the `before` content map, its entry, and the entry of `after` that stands for it. */
export function matchContent(before: unknown, after: unknown): [string, Obj, Obj | undefined][] {
  const next = (after as Obj | undefined) ?? {};
  return Object.entries((before as Obj | undefined) ?? {}).map(([type, media]) => [
    type,
    media as Obj,
    mediaMatch(next, type),
  ]);
}
