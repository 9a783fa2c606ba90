// What a command costs below our code, on this machine: the server CPU per command of the same
// load shape as `npm run bench` (by default battles of 6 connected clients, one command at a time per battle,
// think 250 ms ±50 %) against three floors, each a fresh server process pinned to the first core with
// the clients on the other(s):
//   ws                 a plain `ws` server: read the command frame, write a patch-sized frame to the
//                      battle's clients and an ack to the sender (bench/floor/ws-server.ts);
//   colyseus           a bare Colyseus room: one ship's hull and one log entry change, broadcastPatch,
//                      an ack message (bench/floor/colyseus-server.ts), the clients decoding with the SDK;
//   colyseus-views     the same with the ships' details behind two shared StateViews, as ours.
// The server's CPU is read from /proc (user + system time of all its threads) before and after the
// window, with no IPC channel (over one, @pm2/io, which @colyseus/core loads, would report to it
// every second, a cost our server does not pay). Before the commands it is measured twice more:
// the server alone, then with the same clients connected and silent, so the figure above that idle
// cost (timers, heartbeats) is reported beside the total, and what one silent client costs (above
// the empty server) beside our `npm run bench` idle figure; each window after --settle-sec of quiet,
// as that bench waits (the joins' garbage is collected for tens of seconds). Every layer sends the
// heartbeat ours does (a ping every PING_INTERVAL_MS, src/server/config.ts' default).
// `--clients 2 --ships 2` is the 1v1 shape of the load runner (`--players 2 --npc 0`).
// `--decode-sample F`: as the load runner's, the clients of that fraction of the Colyseus battles
// decode the state with the SDK, the others receive every frame undecoded
// (loadtest/lib/frame-level-client.ts), so that one core of clients can drive more battles.
// Writes bench/floor.json (or --out) and prints a table.
//
//   npx tsx bench/floor.ts [--battles 50] [--clients 6] [--ships 15] [--sec 30] [--warm-sec 10] [--idle-sec 10] [--settle-sec 45] [--decode-sample 1] [--patch-bytes 345] [--ack-bytes 40] [--layers ws,colyseus,colyseus-views] [--out FILE]
import "../src/server/polyfills";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { Client, type Room } from "@colyseus/sdk";
import { freePort } from "../harness/ports";
import { readProc } from "../harness/server-process";
import { loadConfig } from "../src/server/config";
import { FrameLevelClient } from "../loadtest/lib/frame-level-client";
import { DEFAULT_SERVER_CPU } from "./server-cpu";
import { onlineCores, pinThisProcess, pinnedCommand, planPinning, type Pinning } from "../harness/cpu-pinning";

const LAYERS = ["ws", "colyseus", "colyseus-views"] as const;
type Layer = (typeof LAYERS)[number];

interface Options { out: string; battles: number; clients: number; ships: number; pingMs: number; sec: number; warmSec: number; idleSec: number; settleSec: number; decodeSample: number; thinkMs: number; patchBytes: number; ackBytes: number; layers: Layer[] }

function parse(argv: string[]): Options {
  const o: Options = { out: path.join(__dirname, "floor.json"), battles: 50, clients: 6, ships: 15, pingMs: loadConfig({}).PING_INTERVAL_MS, sec: 30, warmSec: 10, idleSec: 10, settleSec: DEFAULT_SERVER_CPU.idleSettleSec, decodeSample: 1, thinkMs: 250, patchBytes: 345, ackBytes: 40, layers: [...LAYERS] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ""];
    const n = Number(value);
    const int = (lo: number, hi: number) => {
      if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`${flag} must be an integer in ${lo}..${hi}`);
      return n;
    };
    if (flag === "--battles") o.battles = int(1, 2_500);
    else if (flag === "--clients") o.clients = int(1, 6);
    else if (flag === "--ships") o.ships = int(1, 15);
    else if (flag === "--sec") o.sec = int(5, 600);
    else if (flag === "--warm-sec") o.warmSec = int(0, 120);
    else if (flag === "--idle-sec") o.idleSec = int(1, 120);
    else if (flag === "--settle-sec") o.settleSec = int(0, 600);
    else if (flag === "--decode-sample") {
      if (!(n > 0 && n <= 1)) throw new Error("--decode-sample must be a fraction in (0, 1]");
      o.decodeSample = n;
    }
    else if (flag === "--think-ms") o.thinkMs = int(10, 10_000);
    else if (flag === "--patch-bytes") o.patchBytes = int(1, 65_536);
    else if (flag === "--ack-bytes") o.ackBytes = int(1, 65_536);
    else if (flag === "--out") o.out = path.resolve(value);
    else if (flag === "--layers") {
      o.layers = value.split(",") as Layer[];
      if (!o.layers.length || o.layers.some((l) => !LAYERS.includes(l))) throw new Error(`--layers takes a comma list of ${LAYERS.join(", ")}`);
    } else throw new Error(`unknown option ${flag}`);
  }
  // the plain-ws clients tell the ack from a patch by its length
  if (o.patchBytes === o.ackBytes) throw new Error("--patch-bytes and --ack-bytes must differ");
  return o;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether battle `b`'s clients decode the state: the first of every 1/sample battles (all of them at 1). */
function decodes(b: number, sample: number): boolean {
  return Math.floor(b * sample) !== Math.floor((b - 1) * sample) || b === 0;
}

/** A battle's clients as the driver plays them: send a command from one of them, resolve on its ack. */
interface FloorBattle { command(from: number): Promise<void>; close(): Promise<unknown> }

async function wsBattle(port: number, b: number, clients: number, ackBytes: number): Promise<FloorBattle> {
  const sockets = await Promise.all(Array.from({ length: clients }, () => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?b=${b}`, { perMessageDeflate: false });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  })));
  const command = Buffer.alloc(70, 1);
  let pending: (() => void) | undefined;
  sockets.forEach((ws) => ws.on("message", (data: Buffer) => { if (data.length === ackBytes && pending) { const p = pending; pending = undefined; p(); } }));
  return {
    command: (from) => new Promise<void>((resolve) => { pending = resolve; sockets[from]!.send(command); }),
    close: async () => sockets.forEach((ws) => ws.terminate()),
  };
}

async function colyseusBattle(port: number, clients: number, ships: number, decodes: boolean): Promise<FloorBattle> {
  const client = decodes ? new Client(`ws://127.0.0.1:${port}`) : new FrameLevelClient(`ws://127.0.0.1:${port}`);
  const first = await client.create("floor");
  const rooms: Room[] = [first];
  for (let i = 1; i < clients; i++) rooms.push(await client.joinById(first.roomId));
  let seq = 0;
  const pending = new Map<number, () => void>();
  for (const room of rooms) {
    room.onMessage("ack", (m: { seq: number }) => { pending.get(m.seq)?.(); pending.delete(m.seq); });
  }
  return {
    command: (from) => new Promise<void>((resolve) => {
      const s = ++seq;
      pending.set(s, resolve);
      rooms[from]!.send("cmd", { seq: s, target: `s${s % ships}`, action: "fire", turret: "t1" });
    }),
    close: () => Promise.all(rooms.map((r) => r.leave())),
  };
}

function startServer(layer: Layer, port: number, o: Options, pinning: Pinning | null): Promise<ChildProcess> {
  const args = layer === "ws"
    ? ["bench/floor/ws-server.ts", String(port), String(o.patchBytes), String(o.ackBytes), String(o.pingMs)]
    : ["bench/floor/colyseus-server.ts", String(port), layer === "colyseus" ? "plain" : "views", String(o.clients), String(o.ships), String(o.pingMs)];
  const cmd = pinnedCommand(pinning?.server, process.execPath, ["--import", "tsx", ...args]);
  const child = spawn(cmd.file, cmd.args, { cwd: path.join(__dirname, ".."), stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes("ready\n")) { child.stdout!.off("data", onData); child.stdout!.resume(); resolve(child); }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${layer} server exited ${code} before listening`)));
  });
}

/** The server's CPU so far, µs (from /proc: 10-ms ticks, fine over windows of seconds). */
function serverCpu(child: ChildProcess): number {
  const r = readProc(child.pid!);
  if (!r) throw new Error("the floor server is gone");
  return r.cpuMs * 1000;
}

async function measure(layer: Layer, o: Options, pinning: Pinning | null) {
  const port = await freePort();
  const child = await startServer(layer, port, o, pinning);
  try {
    // The server alone, then the same server with every client connected and silent: what the
    // command window below would cost without commands, and what each silent client adds.
    const quietWindow = async () => {
      const [c0, t0] = [serverCpu(child), process.hrtime.bigint()];
      await sleep(o.idleSec * 1000);
      return (serverCpu(child) - c0) / (Number(process.hrtime.bigint() - t0) / 1e9);
    };
    await sleep(o.settleSec * 1000);
    const emptyUsPerSec = await quietWindow();
    const battles: FloorBattle[] = [];
    for (let b = 0; b < o.battles; b++) {
      battles.push(layer === "ws" ? await wsBattle(port, b, o.clients, o.ackBytes) : await colyseusBattle(port, o.clients, o.ships, decodes(b, o.decodeSample)));
    }
    await sleep(o.settleSec * 1000);
    const idleUsPerSec = await quietWindow();
    let acked = 0;
    let running = true;
    const loops = battles.map(async (battle) => {
      while (running) {
        await sleep(o.thinkMs * (0.5 + Math.random()));
        if (!running) break;
        await battle.command(Math.floor(Math.random() * o.clients));
        acked++;
      }
    });
    await sleep(o.warmSec * 1000);
    const [cpu0, ack0, own0, t0] = [serverCpu(child), acked, process.cpuUsage(), process.hrtime.bigint()];
    await sleep(o.sec * 1000);
    const [cpu1, ack1, own1, t1] = [serverCpu(child), acked, process.cpuUsage(own0), process.hrtime.bigint()];
    running = false;
    await Promise.race([Promise.all(loops), sleep(5000)]);
    await Promise.race([Promise.all(battles.map((b) => b.close())), sleep(5000)]);
    const wallUs = Number(t1 - t0) / 1000;
    const commands = ack1 - ack0;
    return {
      layer, battles: o.battles, decodingBattles: layer === "ws" ? 0 : battles.filter((_, b) => decodes(b, o.decodeSample)).length,
      commands, commandsPerSec: Math.round((commands / wallUs) * 1e6),
      serverUsPerCommand: Math.round((cpu1 - cpu0) / commands), serverCpuPct: +((100 * (cpu1 - cpu0)) / wallUs).toFixed(1),
      serverIdleUsPerSec: Math.round(idleUsPerSec), serverEmptyUsPerSec: Math.round(emptyUsPerSec),
      idleUsPerClientPerSec: +((idleUsPerSec - emptyUsPerSec) / (o.battles * o.clients)).toFixed(1),
      serverUsPerCommandAboveIdle: Math.round((cpu1 - cpu0 - (idleUsPerSec * wallUs) / 1e6) / commands),
      clientsUsPerCommand: Math.round((own1.user + own1.system) / commands),
    };
  } finally {
    child.kill("SIGKILL");
  }
}

async function main() {
  const o = parse(process.argv.slice(2));
  let pinning: Pinning | null = null;
  try {
    const cores = onlineCores();
    if (cores.length >= 2) { pinning = planPinning([cores[0]!], cores); pinThisProcess(pinning.bots); }
  } catch (err) {
    console.error(`not pinned: ${(err as Error).message}`);
  }
  const rows = [];
  for (const layer of o.layers) {
    rows.push(await measure(layer, o, pinning));
    console.error(`${layer}: ${JSON.stringify(rows.at(-1))}`);
  }
  const out = o.out;
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg(), pinning, options: o, rows }, null, 2));
  console.log(["| layer | commands/s | server µs per command | above idle | server % of a core | idle server µs/s | empty server µs/s | µs/s per silent client | clients µs per command |", "|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.layer} | ${r.commandsPerSec} | ${r.serverUsPerCommand} | ${r.serverUsPerCommandAboveIdle} | ${r.serverCpuPct} | ${r.serverIdleUsPerSec} | ${r.serverEmptyUsPerSec} | ${r.idleUsPerClientPerSec} | ${r.clientsUsPerCommand} |`),
    `written to ${path.relative(process.cwd(), out)}`].join("\n"));
  process.exit(0);
}

main().catch((err) => { console.error(err instanceof Error ? err.stack : err); process.exit(1); });
