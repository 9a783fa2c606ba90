// Failover measurement: two server processes on a real Redis (AOF, appendfsync always), a battle
// with a GM and two players, then SIGKILL (or SIGTERM with --drain) of the process holding it;
// measures the time from the signal until every client holds its seat again on the survivor.
// Bounded: --runs N (default 5). Writes bench/failover-results.json and prints a table.
//   npm run bench:failover -- [--runs 5] [--drain] [--heartbeat-ms 1000 --heartbeat-ttl-ms 3000]
import "../src/server/polyfills";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startRedis } from "../harness/redis-server";
import { startNode, openBattle, playOneTurn, ownerOf, type Node } from "../harness/cluster";
import { summarise } from "./stats";

const { values } = parseArgs({ options: {
  runs: { type: "string", default: "5" }, drain: { type: "boolean", default: false },
  "heartbeat-ms": { type: "string", default: "1000" }, "heartbeat-ttl-ms": { type: "string", default: "3000" },
} });

async function main() {
  const runs = Math.min(50, Math.max(1, Number(values.runs)));
  const env = { HEARTBEAT_MS: values["heartbeat-ms"]!, HEARTBEAT_TTL_MS: values["heartbeat-ttl-ms"]!, LOG_LEVEL: "error" };
  const redis = await startRedis({ appendfsync: "always" });
  const nodes: Node[] = [];
  const alive = () => nodes.filter((n) => !n.proc.exited);
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      while (alive().length < 2) nodes.push(await startNode({ ...env, REDIS_URL: redis.url }));
      const [a, b] = alive() as [Node, Node];
      const battle = await openBattle(a, b);
      battle.clients.forEach((c) => c.followBattle(() => alive().map((n) => `127.0.0.1:${n.port}`)));
      await battle.gm.command("gm:start");
      for (let t = 0; t < 3; t++) await playOneTurn(battle.clients);
      const owner = (await ownerOf(battle.roomId, nodes))!;
      const at = Date.now();
      owner.proc.child.kill(values.drain ? "SIGTERM" : "SIGKILL");
      await Promise.all(battle.clients.map((c) => c.relocated(1, 30_000)));
      const ms = Math.max(...battle.clients.map((c) => c.relocations[0]!)) - at;
      samples.push(ms);
      console.log(`run ${i + 1}/${runs}: all 3 clients back in their seats ${ms} ms after ${values.drain ? "SIGTERM" : "SIGKILL"}`);
      await Promise.all(battle.clients.map((c) => c.leave()));
    }
  } finally {
    for (const n of nodes) if (!n.proc.exited) n.proc.child.kill("SIGKILL");
    await redis.close();
  }
  const s = summarise(samples);
  const out = {
    at: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    signal: values.drain ? "SIGTERM" : "SIGKILL", heartbeatMs: Number(env.HEARTBEAT_MS), heartbeatTtlMs: Number(env.HEARTBEAT_TTL_MS), runs, samplesMs: samples, summary: s,
  };
  fs.writeFileSync(path.join(__dirname, "failover-results.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\n${out.signal}, heartbeat ${out.heartbeatMs} ms / TTL ${out.heartbeatTtlMs} ms, ${runs} runs: ` +
    `min ${Math.min(...samples)} ms, median ${s.p50} ms, max ${Math.max(...samples)} ms (bench/failover-results.json)`);
  process.exit(0);
}

main().catch((err) => { console.error(err); process.exit(1); });
