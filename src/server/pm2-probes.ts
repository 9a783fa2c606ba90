// @colyseus/core reports its client and room counts to PM2 through @pm2/io whenever that package
// can be imported (its Stats module). The package is installed with our dependencies, in the
// production image too (`npm ci --omit=dev` keeps it: an optional peer of @colyseus/core). Importing
// it starts its agent at once, PM2 or not: an IPC transport and metric probes on 1-s timers
// (event-loop delay, V8 heap, GC, active requests, and twice a second a list of every active handle,
// i.e. of every connected socket). Outside PM2 nobody reads any of it; it cost an idle server about
// 1 ms of CPU a second (docs/performance.md, "Sixth pass").
//
// @pm2/io keeps one process-wide instance under a global symbol and returns the one it finds there
// instead of starting its own (so that several copies of the package share an agent). Unless PM2
// runs this process (it sets `pm_id`), that instance is a no-op with the one call Colyseus makes.
const IO_KEY = Symbol.for("@pm2/io");

/** What Colyseus calls on @pm2/io (`metric`), doing nothing. */
export const PM2_OFF = Object.freeze({
  metric: () => ({ set: () => undefined, val: () => undefined }),
});

/**
 * Must run before anything imports @colyseus/core. Returns whether the probes are off (false under
 * PM2, or when an agent was already started).
 */
export function pm2ProbesOffOutsidePm2(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.pm_id !== undefined) return false;
  const global = globalThis as Record<symbol, unknown>;
  global[IO_KEY] ??= PM2_OFF;
  return global[IO_KEY] === PM2_OFF;
}
