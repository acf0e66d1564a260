// The docs' page templates (docs/templates/*.html, and docs/mocks.md): `{{name}}` placeholders, no
// logic. A value is escaped for HTML unless it is itself HTML made from a template, so nothing the
// spec says can become markup; a placeholder without a value, or a value without a placeholder, is
// an error naming the template.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./apis.js";

/** Where the page templates are. */
export const templatesDir = join(repoRoot, "docs/templates");

/** HTML made from a template (or, explicitly, text already safe as HTML): inserted as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

type Value = string | number | Html;

/** Replaces each `{{name}}` with `text(value)`; `source` names the template in errors. */
function fill<V>(template: string, values: Record<string, V>, source: string, text: (value: V) => string): string {
  const unused = new Set(Object.keys(values));
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`${source}: no value for {{${name}}}`);
    unused.delete(name);
    return text(values[name]!);
  });
  if (unused.size) throw new Error(`${source}: no placeholder {{${[...unused].join("}}, {{")}}}`);
  return filled;
}

/** An HTML template filled in: strings and numbers escaped, Html as it is. */
export function fillTemplate(template: string, values: Record<string, Value>, source: string): Html {
  return new Html(fill(template, values, source, (v) => (v instanceof Html ? v.text : escapeHtml(String(v)))));
}

/** A text (Markdown) template filled in with its values as they are. */
export function fillText(template: string, values: Record<string, string>, source: string): string {
  return fill(template, values, source, (value) => value);
}

/** `docs/templates/<name>` filled in (see fillTemplate), without the file's final newline. */
export function renderTemplate(name: string, values: Record<string, Value>): Html {
  const file = join(templatesDir, name);
  return fillTemplate(readFileSync(file, "utf8").replace(/\n$/, ""), values, relative(repoRoot, file));
}

/** Html pieces one after the other. */
export const joinHtml = (parts: Html[], separator = "\n") => new Html(parts.map((part) => part.text).join(separator));
