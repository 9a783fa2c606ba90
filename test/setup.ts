// Loaded by mocha before any test file: quiet logs, and the same WebSocket polyfill as src/index.ts.
process.env.NODE_ENV ??= "test";
process.env.LOG_LEVEL ??= "error";
import "../src/server/polyfills";
