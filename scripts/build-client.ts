// Builds the web client into public/: bundles client/main.ts to public/app.js (+ source map) and
// copies index.html and styles.css; and the operators' performance dashboard (client/dashboard)
// into dist/dashboard/, served only behind credentials at /dev/dashboard, never from public/.
// Idempotent and fast (two esbuild calls). `npm run build:client`.
import fs from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

export const CLIENT_DIR = path.resolve(__dirname, "..", "client");
export const OUT_DIR = path.resolve(__dirname, "..", "public");
export const DASHBOARD_OUT_DIR = path.resolve(__dirname, "..", "dist", "dashboard");
const STATIC_FILES = ["index.html", "styles.css"];

/** zod re-exports every translation as `z.locales`, which defeats tree shaking (~300 kB); keep English only. */
const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-locales" } : undefined);
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path), loader: "js",
    }));
  },
};

export async function buildClient(opts: { outDir?: string; dashboardOutDir?: string; minify?: boolean; quiet?: boolean } = {}): Promise<string> {
  const outDir = opts.outDir ?? OUT_DIR;
  const dashboardOutDir = opts.dashboardOutDir ?? DASHBOARD_OUT_DIR;
  const started = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(CLIENT_DIR, "main.ts")],
    outfile: path.join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    sourcemap: true,
    minify: opts.minify ?? true,
    legalComments: "none",
    logLevel: "warning",
    // The SDK's Node-only dependencies (ws) are never used in a browser bundle.
    mainFields: ["browser", "module", "main"],
    conditions: ["browser"],
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [zodEnglishOnly],
  });
  for (const file of STATIC_FILES) fs.copyFileSync(path.join(CLIENT_DIR, file), path.join(outDir, file));
  await buildDashboard(dashboardOutDir, opts.minify ?? true);
  if (!opts.quiet) console.log(`client built into ${path.relative(process.cwd(), outDir) || "."} in ${Date.now() - started} ms`);
  return outDir;
}

/** The dashboard page: client/dashboard/main.ts -> dashboard.js, with its HTML, CSS and uPlot's CSS. */
async function buildDashboard(outDir: string, minify: boolean): Promise<void> {
  const src = path.join(CLIENT_DIR, "dashboard");
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(src, "main.ts")], outfile: path.join(outDir, "dashboard.js"),
    bundle: true, format: "esm", platform: "browser", target: ["es2022"], sourcemap: true, minify, legalComments: "none", logLevel: "warning",
  });
  fs.copyFileSync(path.join(src, "index.html"), path.join(outDir, "index.html"));
  fs.copyFileSync(path.join(src, "dashboard.css"), path.join(outDir, "dashboard.css"));
  fs.copyFileSync(require.resolve("uplot/dist/uPlot.min.css"), path.join(outDir, "uPlot.min.css"));
}

if (require.main === module) {
  buildClient().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
