// A bot worker process (forked by workerFleet): plays its share of the tables and reports its
// figures to the runner once a second and at the end.
import "../../src/server/polyfills";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Tables, type FromWorker, type ToWorker } from "./fleet";
import { snapshotMetrics } from "./metrics";

let tables: Tables | undefined;
const lag = monitorEventLoopDelay({ resolution: 10 });
const send = (m: FromWorker) => { if (process.connected) process.send!(m); };

const ticker = setInterval(() => {
  if (!tables) return;
  const window = tables.metrics.latencyWindow.toJSON();
  tables.metrics.latencyWindow.reset();
  send({ type: "tick", snap: snapshotMetrics(tables.metrics), window, lagP99Ms: lag.percentile(99) / 1e6 });
  lag.reset();
}, 1000);

process.on("message", (msg: ToWorker) => {
  if (msg.type === "start" && !tables) {
    lag.enable();
    tables = new Tables(msg.spec);
    void tables.ramped.then(() => send({ type: "ramped" }));
  } else if (msg.type === "stop") tables?.stop();
  else if (msg.type === "finish" && tables) {
    void tables.finish().then((m) => {
      clearInterval(ticker);
      send({ type: "final", snap: snapshotMetrics(m) });
      setTimeout(() => process.exit(0), 200);
    });
  }
});
// The runner going away ends the worker too.
process.on("disconnect", () => process.exit(0));
