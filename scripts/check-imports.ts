// Enforces the one-way import direction of the layout (run by `npm test`):
// pure rules and data import nothing of ours but each other; the engine adds only rules and
// data; the client imports no server code. Prints every violation and exits 1 if any.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Layer { name: string; dir: string; mayImport: string[]; packages: RegExp }
const NO_PACKAGES = /^node:never$/;
const LAYERS: Layer[] = [
  { name: "rules", dir: "src/rules", mayImport: ["src/rules", "src/data"], packages: NO_PACKAGES },
  { name: "data", dir: "src/data", mayImport: ["src/data", "src/rules/model.ts"], packages: NO_PACKAGES },
  { name: "engine", dir: "src/engine", mayImport: ["src/engine", "src/rules", "src/data"], packages: NO_PACKAGES },
  // The protocol's error codes include the engine's refusal codes: its contract file (types only).
  { name: "commands", dir: "src/commands", mayImport: ["src/commands", "src/rules/model.ts", "src/engine/types.ts", "src/engine/legal.ts"], packages: /^zod$/ },
  { name: "schema", dir: "schema", mayImport: ["schema", "src/rules/model.ts"], packages: /^@colyseus\/schema$/ },
  { name: "client", dir: "client", mayImport: ["client", "src/commands", "src/rules/model.ts", "src/data", "src/engine/legal.ts"], packages: /^(@colyseus\/sdk|@colyseus\/schema|zod|uplot)(\/.*)?$/ },
];

function walk(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(rel);
    return /\.(ts|tsx|mts|js|mjs)$/.test(e.name) ? [rel] : [];
  });
}

const IMPORT_RE = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*['"]([^'"]+)['"]|(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

function resolveRel(fromFile: string, spec: string): string {
  const base = path.normalize(path.join(path.dirname(fromFile), spec));
  for (const cand of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(path.join(ROOT, cand)) && fs.statSync(path.join(ROOT, cand)).isFile()) return cand;
  }
  return base;
}

export function violations(): string[] {
  const problems: string[] = [];
  for (const layer of LAYERS) {
    for (const file of walk(layer.dir)) {
      const src = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const spec of specifiers(src)) {
        if (spec.startsWith(".")) {
          const target = resolveRel(file, spec);
          const ok = layer.mayImport.some((allowed) => target === allowed || target.startsWith(allowed + path.sep));
          if (!ok) problems.push(`${file}: the ${layer.name} layer may not import ${target}`);
        } else if (!layer.packages.test(spec)) {
          problems.push(`${file}: the ${layer.name} layer may not import the package '${spec}'`);
        }
      }
    }
  }
  return problems;
}

if (require.main === module) {
  const problems = violations();
  if (problems.length) {
    console.error(`Import direction violated (${problems.length}):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log("imports: every layer imports only what it may");
}
