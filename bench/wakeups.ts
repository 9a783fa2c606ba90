// What a wake-up of an idle Node process costs on this machine: the CPU of an otherwise empty
// process (its own process.cpuUsage()) with two event-loop-delay monitors at a given resolution
// (the server had two: telemetry's and prom-client's), each variant in a fresh process, one after
// the other, pinned to the first core when taskset is there. Writes bench/wakeups.json.
//
//   npx tsx bench/wakeups.ts [--sec S]
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const VARIANTS = [
  { monitors: 0, resolutionMs: 0 },
  { monitors: 2, resolutionMs: 10 },
  { monitors: 2, resolutionMs: 50 },
];

/** The child: enables the monitors, settles 2 s, then reports its CPU per second over `sec`. */
const CHILD = `
const { monitorEventLoopDelay } = require("node:perf_hooks");
const [monitors, resolution, sec] = process.argv.slice(1).map(Number);
for (let i = 0; i < monitors; i++) monitorEventLoopDelay({ resolution }).enable();
setInterval(() => {}, 60000);
setTimeout(() => {
  const a = process.cpuUsage();
  setTimeout(() => { const b = process.cpuUsage(a); console.log((b.user + b.system) / sec); process.exit(0); }, sec * 1000);
}, 2000);`;

function hasTaskset(): boolean {
  try { execFileSync("taskset", ["-V"], { stdio: "ignore" }); return true; } catch { return false; }
}

function run(monitors: number, resolutionMs: number, sec: number): Promise<number> {
  const args = ["-e", CHILD, String(monitors), String(resolutionMs || 10), String(sec)];
  const [file, argv] = hasTaskset() ? ["taskset", ["-c", "0", process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, argv as string[], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child exited ${code}`))));
  });
}

async function main() {
  const i = process.argv.indexOf("--sec");
  const sec = i >= 0 ? Number(process.argv[i + 1]) : 20;
  if (!Number.isInteger(sec) || sec < 1 || sec > 600) throw new Error("--sec must be an integer in 1..600");
  const rows = [];
  for (const v of VARIANTS) rows.push({ ...v, cpuUsPerSec: Math.round(await run(v.monitors, v.resolutionMs, sec)) });
  const base = rows[0]!.cpuUsPerSec;
  const report = rows.map((r) => ({ ...r, wakeupsPerSec: r.monitors ? (r.monitors * 1000) / r.resolutionMs : 0 }))
    .map((r) => ({ ...r, usPerWakeup: r.wakeupsPerSec ? Math.round((r.cpuUsPerSec - base) / r.wakeupsPerSec) : null }));
  const out = path.join(__dirname, "wakeups.json");
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, sec, pinned: hasTaskset(), rows: report }, null, 2));
  console.log(["| monitors | resolution | wake-ups/s | CPU µs/s | µs per wake-up |", "|---|---|---|---|---|",
    ...report.map((r) => `| ${r.monitors} | ${r.resolutionMs || "–"} ms | ${r.wakeupsPerSec} | ${r.cpuUsPerSec} | ${r.usPerWakeup ?? "–"} |`),
    `written to ${path.relative(process.cwd(), out)}`].join("\n"));
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
