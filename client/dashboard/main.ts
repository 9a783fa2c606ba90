// The dev performance dashboard (/dev/dashboard): polls the server's history of samples
// (GET /dev/dashboard/api/history?since=<ms>) and draws live uPlot charts of it.
// The point fields mirror HistoryPoint in src/observability/history.ts (the client imports no server code).
import uPlot from "uplot";

interface Point {
  t: number; connections: number; battles: number; commandsPerSec: number; rejectedPerSec: number; commandsTotal: number;
  commandP95Ms: number; patchP95Ms: number; eventLoopLagMs: number; heapMB: number; rssMB: number; stateMaxBytes: number;
  patchesPerSec: number; patchBytesPerSec: number; errorsPerMin: number; redisRttMs: number | null; alerts: string[];
}
interface HistoryReply {
  process: string; store: "memory" | "redis"; sampleMs: number; points: Point[];
  thresholds: { commandP95Ms: number; patchP95Ms: number; eventLoopLagMs: number; stateBytes: number; errorsPerMin: number };
}
type Field = (p: Point) => number | null;
interface ChartSpec { id: string; title: string; unit: string; series: { label: string; value: Field; color: string }[]; redisOnly?: boolean }

const DAY_MS = 24 * 60 * 60 * 1000;
const CHARTS: ChartSpec[] = [
  { id: "load", title: "Connections and battles", unit: "", series: [
    { label: "connections", value: (p) => p.connections, color: "#4fa3ff" },
    { label: "battles", value: (p) => p.battles, color: "#f0a500" }] },
  { id: "commands", title: "Commands per second", unit: "/s", series: [
    { label: "accepted", value: (p) => p.commandsPerSec, color: "#3fb950" },
    { label: "rejected", value: (p) => p.rejectedPerSec, color: "#f85149" }] },
  { id: "latency", title: "Latency p95 (ms)", unit: "ms", series: [
    { label: "command processing", value: (p) => p.commandP95Ms, color: "#4fa3ff" },
    { label: "command → patch", value: (p) => p.patchP95Ms, color: "#f0a500" }] },
  { id: "loop", title: "Event-loop lag p99 (ms)", unit: "ms", series: [{ label: "lag", value: (p) => p.eventLoopLagMs, color: "#d29922" }] },
  { id: "memory", title: "Memory (MB)", unit: "MB", series: [
    { label: "heap used", value: (p) => p.heapMB, color: "#a371f7" },
    { label: "RSS", value: (p) => p.rssMB, color: "#8b949e" }] },
  { id: "state", title: "Largest battle state (KB)", unit: "KB", series: [{ label: "encoded state", value: (p) => p.stateMaxBytes / 1024, color: "#f0a500" }] },
  { id: "patches", title: "State patches", unit: "", series: [
    { label: "patches/s", value: (p) => p.patchesPerSec, color: "#4fa3ff" },
    { label: "KB/s", value: (p) => p.patchBytesPerSec / 1024, color: "#3fb950" }] },
  { id: "errors", title: "Errors per minute", unit: "/min", series: [{ label: "errors", value: (p) => p.errorsPerMin, color: "#f85149" }] },
  { id: "redis", title: "Redis round trip (ms)", unit: "ms", redisOnly: true, series: [{ label: "PING", value: (p) => p.redisRttMs, color: "#ff6b6b" }] },
];
const STATS: { key: string; label: string; value: (p: Point) => string }[] = [
  { key: "connections", label: "connections", value: (p) => String(p.connections) },
  { key: "battles", label: "battles", value: (p) => String(p.battles) },
  { key: "commandsTotal", label: "commands accepted", value: (p) => String(p.commandsTotal) },
  { key: "commandP95Ms", label: "command p95", value: (p) => `${p.commandP95Ms.toFixed(2)} ms` },
  { key: "patchP95Ms", label: "command → patch p95", value: (p) => `${p.patchP95Ms.toFixed(2)} ms` },
  { key: "eventLoopLagMs", label: "event-loop lag p99", value: (p) => `${p.eventLoopLagMs.toFixed(1)} ms` },
  { key: "heapMB", label: "heap", value: (p) => `${p.heapMB.toFixed(1)} MB` },
  { key: "stateMaxBytes", label: "largest state", value: (p) => `${(p.stateMaxBytes / 1024).toFixed(1)} KB` },
];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let points: Point[] = [];
let rangeMs = Number($<HTMLSelectElement>("range").value);
const plots = new Map<string, { spec: ChartSpec; plot: uPlot; box: HTMLElement }>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function chartWidth(box: HTMLElement): number {
  return Math.max(280, box.clientWidth - 16);
}

function buildCharts(store: HistoryReply["store"]) {
  const host = $("charts");
  for (const spec of CHARTS) {
    if (spec.redisOnly && store !== "redis") continue;
    const box = el("section", "chart");
    box.dataset.testid = `chart-${spec.id}`;
    box.append(el("h2", undefined, spec.title));
    const target = el("div", "plot");
    box.append(target);
    host.append(box);
    const opts: uPlot.Options = {
      width: chartWidth(box), height: 200,
      scales: { x: { time: true } },
      axes: [{ stroke: "#8b949e", grid: { stroke: "#30363d" } }, { stroke: "#8b949e", grid: { stroke: "#30363d" }, size: 60 }],
      series: [{}, ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false }))],
    };
    plots.set(spec.id, { spec, box, plot: new uPlot(opts, [[], ...spec.series.map(() => [])], target) });
  }
  window.addEventListener("resize", () => {
    for (const { plot, box } of plots.values()) plot.setSize({ width: chartWidth(box), height: 200 });
  });
}

function render() {
  const horizon = Date.now() - rangeMs;
  const shown = points.filter((p) => p.t >= horizon);
  const xs = shown.map((p) => p.t / 1000);
  for (const { spec, plot, box } of plots.values()) {
    plot.setData([xs, ...spec.series.map((s) => shown.map((p) => s.value(p)))]);
    box.dataset.points = String(shown.length);
  }
  const last = points[points.length - 1];
  const stats = $("stats");
  stats.replaceChildren(...(last ? STATS.map((s) => {
    const tile = el("div", "stat");
    tile.dataset.testid = `stat-${s.key}`;
    tile.append(el("div", "label", s.label), el("div", "value", s.value(last)));
    return tile;
  }) : []));
  $("alerts").replaceChildren(...(last?.alerts ?? []).map((a) => el("li", undefined, `alert: ${a}`)));
}

async function poll(first: boolean): Promise<number> {
  const since = points.length ? (points[points.length - 1] as Point).t : Date.now() - DAY_MS;
  const res = await fetch(`/dev/dashboard/api/history?since=${since}`, { cache: "no-store" });
  if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
  const reply = (await res.json()) as HistoryReply;
  if (first) {
    buildCharts(reply.store);
    $("source").textContent = `process ${reply.process} · history in ${reply.store} · a point every ${reply.sampleMs / 1000} s`;
  }
  points = points.concat(reply.points).filter((p) => p.t >= Date.now() - DAY_MS);
  render();
  return reply.sampleMs;
}

async function main() {
  const status = $("status");
  $<HTMLSelectElement>("range").addEventListener("change", (e) => {
    rangeMs = Number((e.target as HTMLSelectElement).value);
    render();
  });
  let first = true;
  let periodMs = 5000;
  for (;;) {
    try {
      periodMs = await poll(first);
      first = false;
      status.textContent = `updated ${new Date().toLocaleTimeString()}`;
      status.classList.remove("error");
    } catch (err) {
      status.textContent = `cannot reach the server: ${String(err)}`;
      status.classList.add("error");
    }
    await new Promise((r) => setTimeout(r, Math.max(500, Math.min(periodMs, 5000))));
  }
}

void main();
