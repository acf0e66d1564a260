// The shell lines the docs show (`sh`, `bash`, `shell` and `console` blocks), as a reader would type
// them: continuations joined, a trailing comment set apart, the comment lines or console output
// right after a command kept as what it prints. And the words of a line as sh splits them, enough
// to tell which program each command runs with which arguments (no expansion is done).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ShellLine {
  /** The doc, relative to the repository. */
  doc: string;
  /** The line of the doc the command starts on. */
  at: number;
  /** Which block of the doc it is in (lines of one block may depend on each other). */
  block: string;
  /** The command, continuations joined, without its trailing comment. */
  text: string;
  /** The comment on the command's own line(s), without `#`. */
  comment: string;
  /** What the doc shows it prints: the comment lines (or console output) right after it. */
  output: string;
}

const fence = /^```(sh|bash|shell|console)[ \t]*\n([\s\S]*?)^```/gm;

/** Every shell line of the docs (paths relative to `root`), in order. */
export function shellLines(root: string, docs: string[]): ShellLine[] {
  return docs.flatMap((doc) => {
    const text = readFileSync(join(root, doc), "utf8");
    return [...text.matchAll(fence)].flatMap((match) => {
      const first = text.slice(0, match.index).split("\n").length + 1;
      return blockLines(doc, first, match[1] === "console", match[2] ?? "");
    });
  });
}

function blockLines(doc: string, first: number, console: boolean, body: string): ShellLine[] {
  const block = `${doc}:${first - 1}`;
  const lines: ShellLine[] = [];
  // The command the next output line belongs to: the last one, until a blank line.
  let current: ShellLine | undefined;
  const raw = body.replace(/\n$/, "").split("\n");
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    const prompt = console ? /^\$ (.*)$/.exec(line) : null;
    if (line.trim() === "") current = undefined;
    else if (console ? prompt === null : line.trimStart().startsWith("#")) {
      if (current) current.output += `${current.output ? "\n" : ""}${line.replace(/^\s*#\s?/, "")}`;
    } else {
      const at = first + i;
      let command = prompt ? prompt[1]! : line;
      while (command.endsWith("\\") && i + 1 < raw.length) command = `${command.slice(0, -1)} ${raw[++i]!.trim()}`;
      current = { doc, at, block, ...splitComment(command), output: "" };
      lines.push(current);
    }
  }
  return lines;
}

/** The command and its trailing comment: a `#` that starts a word outside quotes. */
export function splitComment(line: string): { text: string; comment: string } {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!)))
      return { text: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim() };
  }
  return { text: line.trim(), comment: "" };
}

/**
 * The commands of a line as sh splits it (on `&&`, `||`, `;` and `|`), each a list of words with
 * their quotes removed. `$(...)` and `$VAR` stay as written: nothing is expanded.
 */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) commands[commands.length - 1]!.push(word);
    word = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) end();
    else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new Error(`unbalanced ${c} in: ${text}`);
      word = (word ?? "") + text.slice(i + 1, close);
      i = close;
    } else if (c === "$" && text[i + 1] === "(") {
      const close = closingParen(text, i + 1);
      word = (word ?? "") + text.slice(i, close + 1);
      i = close;
    } else if (/[;&|]/.test(c)) {
      end();
      if ((c === "&" || c === "|") && text[i + 1] === c) i++;
      commands.push([]);
    } else word = (word ?? "") + c;
  }
  end();
  return commands.filter((words) => words.length > 0);
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  throw new Error(`unbalanced $( in: ${text}`);
}
