// Compiles the server into dist/server/index.js (+ source map), which production runs with plain
// `node` (`npm start`, deploy/Dockerfile): no TypeScript loader at run time. `npm run build:server`.
//
// esbuild, not tsc: it is already the project's compiler (tsx runs every test through esbuild's
// transform, and the client is bundled with it), so the code that ships is compiled the way the
// tested code was, with the same decorator settings from tsconfig.json; it writes one file in
// about a second, and tsc keeps doing what it is for here, the type check (`npm run typecheck`).
// Packages stay external (loaded from node_modules at run time: @colyseus/monitor serves files
// from its own package folder, msgpackr loads a native addon), so the bundle holds our code only,
// and the build refuses a bundle that needs a package `dependencies` does not list, which a
// production install (`npm ci --omit=dev`) would not have.
import fs from "node:fs";
import path from "node:path";
import { builtinModules } from "node:module";
import { build } from "esbuild";

const ROOT = path.resolve(__dirname, "..");
/** Two levels below the root, like src/server/: src/server/paths.ts relies on that. */
export const SERVER_OUT_FILE = path.join(ROOT, "dist", "server", "index.js");
/** The major Node version the bundle is compiled for: the one the production image runs. */
const NODE_TARGET = "node22";

/** The package a bare import specifier names: `@scope/name/sub` -> `@scope/name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Bare imports of the bundle that are neither Node built-ins nor production dependencies. */
export function undeclaredPackages(imports: string[], dependencies: Record<string, string>): string[] {
  const builtins = new Set(builtinModules);
  const missing = imports
    .filter((s) => !s.startsWith("node:") && !builtins.has(s) && !builtins.has(packageOf(s)))
    .map(packageOf)
    .filter((p) => !(p in dependencies));
  return [...new Set(missing)].sort();
}

export async function buildServer(opts: { quiet?: boolean } = {}): Promise<string> {
  const started = Date.now();
  const result = await build({
    entryPoints: [path.join(ROOT, "src", "index.ts")],
    outfile: SERVER_OUT_FILE,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: [NODE_TARGET],
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    // As tsx does: class and function names survive bundling (logs, error names, schema types).
    keepNames: true,
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const external = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const missing = undeclaredPackages(external, pkg.dependencies ?? {});
  if (missing.length > 0) {
    throw new Error(`the server bundle imports packages that package.json "dependencies" does not list (a production install would lack them): ${missing.join(", ")}`);
  }
  if (!opts.quiet) console.log(`server built into ${path.relative(process.cwd(), SERVER_OUT_FILE)} in ${Date.now() - started} ms`);
  return SERVER_OUT_FILE;
}

if (require.main === module) {
  buildServer().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
