// Where the server finds the files it serves. The project root is two levels above this file
// (src/server/), and the compiled server bundle is written two levels below the root too
// (dist/server/index.js, scripts/build-server.ts): esbuild leaves `__dirname` as the bundle's own
// directory, so the same relative path is right whether the server runs from source (tsx, the
// tests) or from dist/ (npm start, the production image), and wherever it is started from.
// test/server/start.test.ts starts the bundle from another directory to keep this true.
import path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The web client, built by scripts/build-client.ts. */
export const PUBLIC_DIR = path.join(PROJECT_ROOT, "public");
/** The operators' dashboard page, built by scripts/build-client.ts (kept out of the public client). */
export const DASHBOARD_DIR = path.join(PROJECT_ROOT, "dist", "dashboard");
