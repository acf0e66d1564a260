// The folder-level dependency graph: each module belongs to one folder node (packages/<name>/src,
// packages/<name>/test, scripts/lib, scripts/test, scripts/bench, the commands, vitest.config.ts),
// an edge is "some module here imports some module there". It is checked for cycles (test folders
// are nodes of their own, so a test may use devkit, which uses the package under test) and
// written as a Mermaid graph to docs/architecture/dependencies.md.
import type { CruisedModule } from "./dependency-rules.js";

export const diagramFile = "docs/architecture/dependencies.md";
export const diagramCommand = "pnpm lint --diagram";

/** The commands: the files directly under scripts/. */
const commandsNode = "scripts";

/** The folder node a module belongs to, or undefined for modules outside the graph. */
export function folderOf(path: string): string | undefined {
  const inPackage = /^packages\/([^/]+)\/(src|test)\//.exec(path);
  if (inPackage) return `packages/${inPackage[1]}/${inPackage[2]}`;
  const inScripts = /^scripts\/(lib|test|bench)\//.exec(path);
  if (inScripts) return `scripts/${inScripts[1]}`;
  if (/^scripts\/[^/]+\.ts$/.test(path)) return commandsNode;
  if (path === "vitest.config.ts") return path;
  return undefined;
}

export interface FolderGraph {
  nodes: string[];
  /** Sorted, without self edges. */
  edges: [from: string, to: string][];
}

export function folderGraph(modules: CruisedModule[]): FolderGraph {
  const nodes = new Set<string>();
  const edges = new Map<string, [string, string]>();
  for (const module of modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    nodes.add(from);
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (to && to !== from) edges.set(`${from}\n${to}`, [from, to]);
    }
  }
  return {
    nodes: [...nodes].sort(),
    edges: [...edges.values()].sort(([a, b], [c, d]) => a.localeCompare(c) || b.localeCompare(d)),
  };
}

/** Every cycle of the graph, once each: the shortest way from a node back to itself. */
export function folderCycles(graph: FolderGraph): string[][] {
  const next = new Map<string, string[]>(graph.nodes.map((node) => [node, []]));
  for (const [from, to] of graph.edges) next.get(from)?.push(to);
  const seen = new Set<string>();
  const cycles: string[][] = [];
  for (const start of graph.nodes) {
    const cycle = shortestWayBack(start, next);
    if (!cycle) continue;
    // The same cycle is found from each of its nodes: keep it once, from the first node in order.
    const key = cycle.slice(1).sort().join("\n");
    if (!seen.has(key)) {
      seen.add(key);
      cycles.push(cycle);
    }
  }
  return cycles;
}

/** Breadth-first from `start`'s successors: the shortest path back to `start`, both ends included. */
function shortestWayBack(start: string, next: Map<string, string[]>): string[] | undefined {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const to of next.get(node) ?? []) {
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, node);
        queue.push(to);
      }
    }
  }
  return undefined;
}

const nodeId = (node: string) => node.replace(/[^a-zA-Z0-9]/g, "_");
const nodeLabel = (node: string) => (node === commandsNode ? "scripts/*.ts (commands)" : node);

/** The Mermaid graph, one subgraph per package and one for scripts, in a Markdown page. */
export function renderDiagram(graph: FolderGraph): string {
  const groups = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const group = /^packages\/[^/]+/.exec(node)?.[0] ?? (node.startsWith("scripts") ? "scripts" : "");
    groups.set(group, [...(groups.get(group) ?? []), node]);
  }
  const lines = ["```mermaid", "flowchart LR"];
  for (const [group, nodes] of groups) {
    if (group) lines.push(`  subgraph ${nodeId(`group ${group}`)}["${group}"]`);
    for (const node of nodes) lines.push(`${group ? "    " : "  "}${nodeId(node)}["${nodeLabel(node)}"]`);
    if (group) lines.push("  end");
  }
  for (const [from, to] of graph.edges) lines.push(`  ${nodeId(from)} --> ${nodeId(to)}`);
  lines.push("```");
  return `# Dependencies between folders

Generated from the imports by \`${diagramCommand}\` (dependency-cruiser, type-only imports included);
\`pnpm lint --structure\` fails when this file no longer matches them. An arrow points from the importer
to the imported. The rules these imports follow are in \`.dependency-cruiser.cjs\`.

${lines.join("\n")}
`;
}
