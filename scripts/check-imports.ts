// Enforces the one-way import direction of the layout (run by `npm test`). Every source file of
// every top-level folder belongs to exactly one layer, and each layer lists what it may import:
// pure rules and data import nothing of ours but each other; the engine adds only rules and data;
// the protocol (src/commands) and the web client import no server code; the server (src/) never
// imports rooms/ (the room adapter imports the server, not the other way round: only the
// composition root registers the room); nothing that ships (src/, rooms/, schema/, client/)
// imports the tooling around it (harness/, loadtest/, bench/, scripts/, test/); the tooling shares
// harness/ and never imports test/. On top of the per-layer lists, the layer graph of the real
// imports must have no cycle. Prints every violation and exits 1 if any.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

export interface Layer {
  name: string;
  /** Files or folders of the layer; a file belongs to the layer with the longest matching entry. */
  paths: string[];
  /** Folders or files (relative to the root) its relative imports may reach. */
  mayImport: string[];
  /** Packages it may import (bare specifiers; `node:` built-ins count as packages). */
  packages: RegExp;
}

const NO_PACKAGES = /^node:never$/;
const ANY_PACKAGE = /./;
/** What ships: none of it may import the tooling folders. */
const SHIPPED = ["src", "rooms", "schema", "client"];

export const LAYERS: Layer[] = [
  { name: "rules", paths: ["src/rules"], mayImport: ["src/rules", "src/data"], packages: NO_PACKAGES },
  { name: "data", paths: ["src/data"], mayImport: ["src/data", "src/rules/model.ts"], packages: NO_PACKAGES },
  { name: "engine", paths: ["src/engine"], mayImport: ["src/engine", "src/rules", "src/data"], packages: NO_PACKAGES },
  // The protocol's error codes include the engine's refusal codes: its contract file (types only).
  // The browser bundles this layer too, so it names no package but zod.
  { name: "commands", paths: ["src/commands"], mayImport: ["src/commands", "src/rules/model.ts", "src/engine/types.ts", "src/engine/legal.ts"], packages: /^zod$/ },
  // The wire state packs a log entry's lists in the protocol's one format (shared with the client).
  { name: "schema", paths: ["schema"], mayImport: ["schema", "src/rules/model.ts", "src/commands/log-fields.ts"], packages: /^@colyseus\/schema$/ },
  // One battle without sockets (the host's pipeline): no Colyseus, no wire state, no rooms/.
  // msgpackr packs the command log (src/battle/command-tape.ts).
  { name: "battle", paths: ["src/battle"], mayImport: ["src"], packages: /^(node:.*|zod|msgpackr)$/ },
  // Everything else under src/: configuration, persistence, observability, the HTTP guards.
  { name: "server", paths: ["src"], mayImport: ["src", "schema"], packages: ANY_PACKAGE },
  // The composition root registers the Colyseus room: the one file of src/ that may import rooms/.
  { name: "app", paths: ["src/app.config.ts", "src/index.ts"], mayImport: ["src", "schema", "rooms"], packages: ANY_PACKAGE },
  { name: "rooms", paths: ["rooms"], mayImport: ["rooms", "src", "schema"], packages: ANY_PACKAGE },
  // The web client shares the protocol, the rules model, the catalogues and the precondition
  // module (what is legal now, and why not) with the server, and nothing else of it.
  { name: "client", paths: ["client"], mayImport: ["client", "src/commands", "src/rules/model.ts", "src/engine/legal.ts", "src/data"], packages: /^(@colyseus\/sdk|@colyseus\/schema|zod|uplot)(\/.*)?$/ },
  { name: "harness", paths: ["harness"], mayImport: ["harness", ...SHIPPED], packages: ANY_PACKAGE },
  { name: "loadtest", paths: ["loadtest"], mayImport: ["loadtest", "harness", ...SHIPPED], packages: ANY_PACKAGE },
  { name: "bench", paths: ["bench"], mayImport: ["bench", "loadtest", "harness", ...SHIPPED], packages: ANY_PACKAGE },
  { name: "scripts", paths: ["scripts"], mayImport: ["scripts", "harness", ...SHIPPED], packages: ANY_PACKAGE },
  { name: "test", paths: ["test"], mayImport: ["test", "scripts", "bench", "loadtest", "harness", ...SHIPPED], packages: ANY_PACKAGE },
];

/** Folders that hold no source of ours (dependencies, build output, documents, deployment files). */
const NOT_SOURCE = new Set(["node_modules", "public", "dist", "data", "docs", "deploy", "patches", ".git", ".ci"]);

export interface SourceFile { path: string; source: string }


const within = (file: string, entry: string) => file === entry || file.startsWith(entry + "/");

/** The layer a file belongs to: the one with the longest matching path. */
export function layerOf(file: string, layers: Layer[] = LAYERS): Layer | undefined {
  let best: { layer: Layer; len: number } | undefined;
  for (const layer of layers) {
    for (const p of layer.paths) if (within(file, p) && (!best || p.length > best.len)) best = { layer, len: p.length };
  }
  return best?.layer;
}

function walk(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return NOT_SOURCE.has(e.name) || e.name.startsWith(".") ? [] : walk(rel);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) ? [rel] : [];
  });
}

/** Every source file of the repository, with its text. */
export function repositoryFiles(): SourceFile[] {
  return walk("").map((p) => ({ path: p, source: fs.readFileSync(path.join(ROOT, p), "utf8") }));
}

const IMPORT_RE = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*['"]([^'"]+)['"]|(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

/** The file a relative import names (with `.ts` or `/index.ts` added when that file exists). */
function resolveRel(fromFile: string, spec: string, exists: (p: string) => boolean): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  for (const cand of [base, `${base}.ts`, `${base}/index.ts`]) if (exists(cand)) return cand;
  return base;
}

/**
 * The violations in a set of files: imports a layer may not make, files outside every layer, and
 * cycles in the layer graph. Relative imports are resolved against the same set of files.
 */
export function check(files: SourceFile[], layers: Layer[] = LAYERS): string[] {
  const known = new Set(files.map((f) => f.path));
  const exists = (p: string) => known.has(p);
  const problems: string[] = [];
  const edges = new Map<string, Map<string, string>>(); // layer -> imported layer -> one example
  for (const file of files) {
    const layer = layerOf(file.path, layers);
    if (!layer) { problems.push(`${file.path}: in no layer (add its folder to scripts/check-imports.ts)`); continue; }
    for (const spec of specifiers(file.source)) {
      if (!spec.startsWith(".")) {
        if (!layer.packages.test(spec)) problems.push(`${file.path}: the ${layer.name} layer may not import the package '${spec}'`);
        continue;
      }
      const target = resolveRel(file.path, spec, exists);
      if (!layer.mayImport.some((allowed) => within(target, allowed))) {
        problems.push(`${file.path}: the ${layer.name} layer may not import ${target}`);
      }
      const to = layerOf(target, layers);
      if (to && to !== layer) {
        const out = edges.get(layer.name) ?? new Map<string, string>();
        if (!out.has(to.name)) out.set(to.name, `${file.path} -> ${target}`);
        edges.set(layer.name, out);
      }
    }
  }
  for (const cycle of cycles(edges)) {
    const names = [...cycle, cycle[0]!];
    const examples = cycle.map((from, i) => edges.get(from)!.get(names[i + 1]!)!);
    problems.push(`layer cycle ${names.join(" -> ")} (${examples.join("; ")})`);
  }
  return problems;
}

/** One cycle per strongly connected component of more than one layer (Tarjan). */
function cycles(edges: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) found.push(pathThrough(component, edges));
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** A closed walk through a strongly connected component, starting at its first layer. */
function pathThrough(component: string[], edges: Map<string, Map<string, string>>): string[] {
  const members = new Set(component);
  const start = component[component.length - 1]!;
  // breadth-first back to the start: the shortest cycle through it
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const cycle = [v];
        while (cycle[0] !== start) cycle.unshift(prev.get(cycle[0]!)!);
        return cycle;
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return component;
}

/** The violations in the repository as it is on disk. */
export function violations(): string[] {
  return check(repositoryFiles(), LAYERS);
}

if (require.main === module) {
  const problems = violations();
  if (problems.length) {
    console.error(`Import direction violated (${problems.length}):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log("imports: every layer imports only what it may, and the layers form no cycle");
}
