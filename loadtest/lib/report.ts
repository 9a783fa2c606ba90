// Writes a run's JSON, a markdown report and a hand-written SVG chart (no dependency).
import fs from "node:fs";
import path from "node:path";
import type { RunResult, Sample } from "./runner";
import { linearGrowth } from "./growth";

export function writeReports(result: RunResult, outDir: string, extraMd = ""): { json: string; md: string; svg: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, result.name);
  const files = { json: `${base}.json`, md: `${base}.md`, svg: `${base}.svg` };
  fs.writeFileSync(files.json, JSON.stringify(result, null, 2));
  fs.writeFileSync(files.svg, svgChart(result.timeline, `${result.name}: ${result.config.battles} battles`));
  fs.writeFileSync(files.md, markdown(result, path.basename(files.svg)) + extraMd);
  return files;
}

const fmtBytes = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(2)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
const kv = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(", ") || "none";

/** Server CPU per acked command, with the load generator's beside it so nobody mistakes one for the other. */
export function cpuPerCommandLine(x: NonNullable<RunResult["cpuPerCommand"]>): string {
  const pin = x.pinning ? `server on core ${x.pinning.server.join(",")}, load generator on ${x.pinning.bots.join(",")}` : "not pinned";
  return `CPU per acked command (from the ramp to the stop, ${x.windowSec} s, ${x.acked} acked; ${pin}): ` +
    `**server ${x.serverUsPerAcked} µs** (${x.serverCpuPct} % of a core), load generator ${x.botsUsPerAcked} µs (${x.botsCpuPct} %).`;
}

/** How many clients decoded the state and how many kept frame-level bookkeeping (`--decode-sample`). */
export function clientsLine(r: RunResult): string {
  const c = r.config;
  const how = c.decodeSample >= 1
    ? `every client of every battle decoded the state with the SDK`
    : `--decode-sample ${c.decodeSample}: every client of ${r.decodingBattles} of ${c.battles} battles decoded the state with the SDK; in the other ${c.battles - r.decodingBattles} only the GM did, and the players received and counted every frame undecoded, deciding from their GM's state`;
  return `**Clients: ${r.clients.decoding} connections decoded the state, ${r.clients.frameLevel} did frame-level bookkeeping** (${how}).`;
}

const latencyRow = (from: string, p: RunResult["latency"]) =>
  `| ${from} | ${p.count} | ${p.p50} ms | ${p.p95} ms | ${p.p99} ms | ${p.max} ms | ${p.mean} ms |`;

export function commandLine(r: RunResult): string {
  const c = r.config;
  const p = c.plan;
  const parts = [`npm run loadtest --`, `--battles ${c.battles}`, `--players ${p.players}`, `--npc ${p.npc}`, `--duration ${c.durationSec}`, `--think-ms ${p.thinkMs}`];
  if (p.ruleset !== "ce") parts.push(`--ruleset ${p.ruleset}`);
  if (c.latencyMs) parts.push(`--latency ${c.latencyMs}`);
  if (c.jitterMs) parts.push(`--jitter ${c.jitterMs}`);
  if (c.lossPct) parts.push(`--loss ${c.lossPct}`);
  if (c.serverCpus) parts.push(`--server-cpu ${c.serverCpus.join(",")}`);
  if (c.botWorkers > 1) parts.push(`--bot-workers ${c.botWorkers}`);
  if (c.decodeSample < 1) parts.push(`--decode-sample ${c.decodeSample}`);
  if (c.heapEverySec) parts.push(`--heap-every ${c.heapEverySec}`);
  if (c.serverNodeArgs?.length) parts.push(`--server-node-args=${c.serverNodeArgs.join(",")}`);
  if (c.processes > 1) parts.push(`--processes ${c.processes}`);
  else if (c.redis) parts.push("--redis");
  parts.push(`--name ${r.name}`);
  return parts.join(" ");
}

/** The soak's flat-heap figure: live heap after forced GCs, and its growth once the first quarter is past. */
export function heapLine(h: NonNullable<RunResult["server"]["heap"]>): string {
  const xs = h.samples;
  if (!xs.length) return "Live heap after GC: no sample was taken (the run was shorter than the interval).";
  return `Live heap after a forced full GC (${xs.length} samples, every ${xs.length > 1 ? Math.round((xs.at(-1)!.t - xs[0]!.t) / (xs.length - 1)) : "–"} s): `
    + `${xs[0]!.heapMb.toFixed(1)} MB at ${xs[0]!.t.toFixed(0)} s (${xs[0]!.rooms} rooms, ${xs[0]!.clients} clients), min ${Math.min(...xs.map((x) => x.heapMb)).toFixed(1)}, `
    + `max ${Math.max(...xs.map((x) => x.heapMb)).toFixed(1)}, last ${xs.at(-1)!.heapMb.toFixed(1)} MB at ${xs.at(-1)!.t.toFixed(0)} s (${xs.at(-1)!.rooms} rooms, ${xs.at(-1)!.clients} clients); `
    + `after the first quarter: slope **${h.growth.slopePerMin.toFixed(3)} MB/min** over ${h.growth.n} samples (${h.growth.first.toFixed(1)} → ${h.growth.last.toFixed(1)} MB, first and last tenth).`;
}

export function markdown(r: RunResult, svgName: string): string {
  const c = r.config;
  const g = linearGrowth(r.timeline.filter((s) => s.t >= Math.min(20, r.durationSec / 3)).map((s) => ({ t: s.t, y: s.serverRssMb })));
  const L = r.latency;
  const lines = [
    `# Load test: ${r.name}`,
    ``,
    `Started ${r.startedAt}. Command: \`${commandLine(r)}\``,
    ``,
    `**Result: ${r.pass ? "PASS" : "FAIL"}**${r.failures.length ? ` — ${r.failures.join("; ")}` : ""}`,
    ``,
    `> ${r.environment.sameMachine} (${r.environment.cpuModel}, ${r.environment.memGb} GB, Node ${r.environment.node}). ` +
      `Server and bots compete for the same cores, so latency includes load-generator delay (see "runner" below).`,
    ``,
    `## Setup`,
    ``,
    `| battles | clients/battle | ships/battle | mode | think time | ruleset | network | duration |`,
    `|---|---|---|---|---|---|---|---|`,
    `| ${c.battles} | ${c.clientsPerBattle} (GM + ${c.clientsPerBattle - 1}) | ${c.shipsPerBattle} | ${c.oneVsOne ? "1v1 (player vs GM-acted ship)" : `${c.plan.players} player ships (${c.plan.playerClasses.join("/")}) vs ${c.plan.npc} NPC (${c.plan.npcClasses.join("/")})`} | ${c.plan.thinkMs} ms ±50 % | ${c.plan.ruleset} | ${c.latencyMs || c.lossPct || c.jitterMs ? `netsim ${c.latencyMs} ms ±${c.jitterMs}, ${c.lossPct} % loss` : "loopback"} | ${r.durationSec} s (ramp ${r.rampSec ?? "not finished"} s) |`,
    ``,
    `## Summary`,
    ``,
    `| joins attempted | ok | failed | commands sent | acked | refused | lost | timed out (>${c.plan.replyTimeoutMs / 1000}s) | acked/s |`,
    `|---|---|---|---|---|---|---|---|---|`,
    `| ${r.joins.attempted} | ${r.joins.ok} | ${r.joins.failed} | ${r.commands.sent} | ${r.commands.acked} | ${r.commands.refused} | ${r.commands.lost} | ${r.commands.timedOut} | ${r.commands.ackedPerSec} |`,
    ``,
    clientsLine(r),
    ``,
    `Command → patch latency (${L.count} samples; decoding clients: send → the decoded state version containing the result, at every decoding client of the battle; frame-level clients: send → the ack of their own command, which the server sends after that patch on the same socket):`,
    ``,
    `| samples from | count | p50 | p95 | p99 | max | mean |`,
    `|---|---|---|---|---|---|---|`,
    latencyRow("all", L),
    latencyRow("decoding clients (decoded state)", r.latencyBy.decoded),
    latencyRow("frame-level clients (own ack round trip)", r.latencyBy.frameLevel),
    ``,
    `Ack round trip at the acting client (every client): p50 ${r.ackRtt.p50} ms, p99 ${r.ackRtt.p99} ms.`,
    ``,
    ...(c.processes > 1 || c.redis ? [`Servers: ${c.processes} process(es) on one real Redis (AOF, appendfsync always; durable battle logs there); CPU and RSS below are summed over the processes.`, ``] : []),
    `| server CPU mean | max | RSS start | end | max | RSS slope after warm-up | runner CPU mean | runner event-loop lag p99 (max) | bytes in (clients) | per s | bytes out | per s |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|`,
    `| ${r.server.cpuPctMean} % | ${r.server.cpuPctMax} % | ${r.server.rssMbStart.toFixed(1)} MB | ${r.server.rssMbEnd.toFixed(1)} MB | ${r.server.rssMbMax.toFixed(1)} MB | ${g.slopePerMin.toFixed(2)} MB/min | ${r.runner.cpuPctMean} % | ${r.runner.lagP99MaxMs} ms | ${fmtBytes(r.network.bytesIn)} | ${fmtBytes(r.network.bytesInPerSec)} | ${fmtBytes(r.network.bytesOut)} | ${fmtBytes(r.network.bytesOutPerSec)} |`,
    ``,
    ...(r.server.processes.length > 1
      ? [
          `Per server process (all ${r.server.processes.length} share one redis-server; the figures above are their sums):`, ``,
          `| process | port | CPU mean | CPU max | RSS start | end | max | crashed |`, `|---|---|---|---|---|---|---|---|`,
          ...r.server.processes.map((p, i) => `| ${i + 1} | ${p.port} | ${p.cpuPctMean} % | ${p.cpuPctMax} % | ${p.rssMbStart.toFixed(1)} MB | ${p.rssMbEnd.toFixed(1)} MB | ${p.rssMbMax.toFixed(1)} MB | ${p.crashed ? "yes" : "no"} |`),
          ``,
        ]
      : []),
    ...(r.cpuPerCommand ? [cpuPerCommandLine(r.cpuPerCommand), ``] : []),
    ...(r.server.heap ? [heapLine(r.server.heap), ``] : []),
    `CPU % is of one core (100 % = one core busy). Battles: ${r.battles.created} created, ${r.battles.started} started, ${r.battles.ended} ended (${r.battles.endedByGm} ended by the GM after ${c.plan.maxRounds} rounds). Peak clients: ${r.clients.peak}.`,
    ``,
    `## Errors`,
    ``,
    `| kind | count / detail |`,
    `|---|---|`,
    `| join failures | ${r.errors.joinFailures}${Object.keys(r.joins.failures).length ? ` (${kv(r.joins.failures)})` : ""} |`,
    `| unexpected disconnects (by close code) | ${kv(r.errors.disconnects)} |`,
    `| connection drops / reconnections | ${r.errors.drops} / ${r.errors.reconnects} |`,
    `| refused commands (by code) | ${kv(r.errors.refusedByCode)} |`,
    `| reply timeouts / late replies | ${r.errors.timeouts} / ${r.commands.lateReplies} |`,
    `| lost commands (never answered by end + ${c.graceSec} s grace) | ${r.errors.lost} |`,
    `| other | ${kv(r.errors.other)} |`,
    `| server crash | ${r.server.crashed ? `yes: ${JSON.stringify({ code: r.server.crash?.code, signal: r.server.crash?.signal })}` : "no"} |`,
    ``,
    `## Over time`,
    ``,
    `![latency p95, server CPU and RSS over time](${svgName})`,
    ``,
  ];
  if (r.server.crash) lines.push("Server output before the crash:", "", "```", ...r.server.crash.tail, "```", "");
  return lines.join("\n");
}

/** Three stacked panels sharing the time axis: latency p95/p99, server CPU %, server RSS. */
export function svgChart(tl: Sample[], title: string): string {
  const W = 900, PH = 150, GAP = 40, LEFT = 60, RIGHT = 20, TOP = 36;
  const panels: { label: string; unit: string; series: { name: string; color: string; pick: (s: Sample) => number }[] }[] = [
    { label: "command → patch latency", unit: "ms", series: [
      { name: "p95", color: "#d62728", pick: (s) => s.p95 }, { name: "p99", color: "#ff9896", pick: (s) => s.p99 }] },
    { label: "CPU (% of one core)", unit: "%", series: [
      { name: "server", color: "#1f77b4", pick: (s) => s.serverCpuPct }, { name: "load generator", color: "#aec7e8", pick: (s) => s.runnerCpuPct }] },
    { label: "server RSS", unit: "MB", series: [{ name: "RSS", color: "#2ca02c", pick: (s) => s.serverRssMb }] },
  ];
  const H = TOP + panels.length * (PH + GAP) + 10;
  const tMax = Math.max(1, ...tl.map((s) => s.t));
  const x = (t: number) => LEFT + ((W - LEFT - RIGHT) * t) / tMax;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  panels.forEach((p, i) => {
    const top = TOP + i * (PH + GAP);
    const values = tl.flatMap((s) => p.series.map((se) => se.pick(s)));
    const yMax = niceMax(Math.max(1, ...values));
    const y = (v: number) => top + PH - (PH * Math.min(v, yMax)) / yMax;
    out.push(`<text x="${LEFT}" y="${top - 6}" font-weight="bold">${esc(p.label)}</text>`);
    out.push(`<rect x="${LEFT}" y="${top}" width="${W - LEFT - RIGHT}" height="${PH}" fill="none" stroke="#999"/>`);
    for (let k = 0; k <= 4; k++) {
      const v = (yMax * k) / 4;
      out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
      out.push(`<text x="${LEFT - 4}" y="${y(v) + 4}" text-anchor="end">${fmt(v)} ${p.unit}</text>`);
    }
    for (let k = 0; k <= 5; k++) {
      const t = (tMax * k) / 5;
      out.push(`<text x="${x(t)}" y="${top + PH + 13}" text-anchor="middle">${Math.round(t)} s</text>`);
    }
    p.series.forEach((se, j) => {
      const pts = tl.map((s) => `${x(s.t).toFixed(1)},${y(se.pick(s)).toFixed(1)}`).join(" ");
      out.push(`<polyline fill="none" stroke="${se.color}" stroke-width="1.5" points="${pts}"/>`);
      out.push(`<text x="${W - RIGHT - 110 + j * 0}" y="${top + 14 + j * 13}" fill="${se.color}">— ${esc(se.name)}</text>`);
    });
  });
  out.push(`</svg>`);
  return out.join("\n");
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, "") : v.toFixed(2).replace(/\.?0+$/, "");
}
