// A protocol fuzzer: real SDK clients (GM, crews, spectator) send random, malformed, oversized and
// wrong-role payloads to every message type of battle rooms on an in-process server, one message
// at a time per battle, and check after each that a message which was not acknowledged changed
// nothing in the engine state. Used by test/security/fuzz.test.ts and scripts/fuzz.ts.
import type { Room } from "@colyseus/sdk";
import { GM_MESSAGES, SHIP_MESSAGES, turnStamp, type AckReply, type ErrorReply, type SeatReply } from "../src/commands";
import type { BattleRoom } from "../rooms/BattleRoom";
import type { TestServer } from "./server";
import { withTimeout } from "./seat-client";
import { addObserver } from "../src/server/observers";

export interface FuzzOptions {
  messages: number;
  seed?: number;
  /** Battles fuzzed in parallel (each one message at a time). */
  battles?: number;
  /** Stop early after this long, whatever the count. */
  maxMs?: number;
  maxPayloadBytes?: number;
  onProgress?: (r: FuzzResult) => void;
}

export interface FuzzResult {
  sent: number;
  ms: number;
  /** Reply kinds: ack, error:<code>, none (no reply), closed:<close code>. */
  byReply: Record<string, number>;
  rejectedThatChangedState: string[];
  rejoins: number;
  battles: number;
  uncaught: string[];
}

/** mulberry32: a small seeded PRNG, so a failing run can be repeated with its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [...Object.keys(SHIP_MESSAGES), ...Object.keys(GM_MESSAGES), "chat"];
const ODD_TYPES = ["space:selfDestruct", "gm:godMode", "", "__proto__", "constructor", "toString", "*", "x".repeat(300), "chat\u0000", "SPACE:FIRE"];
const SHIPS = ["p1", "p2", "n1", "n2", "n9", "P1", "", "p1;drop"];
const TURRETS = ["t1", "t2", "t3", "t4", "t9", "t0"];
const SYSTEMS = ["sensors", "mDrive", "jDrive", "powerPlant", "fuel", "bridge", "crew", "hold", "computer", "armour", "shields"];
const WEIRD: unknown[] = [
  null, true, 0, -1, 1e308, Number.NaN, Infinity, -0, 2 ** 53 + 1, "", "x", "\u202E", "<script>", [], [1, [2, [3]]], {},
  { $gt: "" }, { toString: 1 }, new Uint8Array([1, 2, 3]), new Date(0), 2n ** 62n,
];

type Pick = <T>(xs: readonly T[]) => T;

function validPayload(type: string, pick: Pick, r: () => number): Record<string, unknown> {
  const shipCmd = (t: string): Record<string, unknown> => {
    switch (t) {
      case "fire": return { turretId: pick(TURRETS), targetId: pick(SHIPS) };
      case "launchMissile": return { turretId: pick(TURRETS), targetId: pick(SHIPS), missile: pick(["standard", "smart"]) };
      case "pointDefense": case "useSandcaster": return { turretId: pick(TURRETS) };
      case "evade": return { mode: pick(["evasive", "dodge"]) };
      case "changeRange": return { targetId: pick(SHIPS), direction: pick(["closer", "farther"]) };
      case "repair": return r() < 0.5 ? { system: pick(SYSTEMS) } : { turretId: pick(TURRETS) };
      case "sensorLock": return { targetId: pick(SHIPS) };
      case "coordinate": return { mode: pick(["initiative", "pool"]) };
      default: return {};
    }
  };
  if (type.startsWith("space:")) return shipCmd(type.slice(6));
  switch (type) {
    case "chat": return { text: pick(["gg", "<b>hi</b>", "\u202Eevil", "a".repeat(600), "  ", "fire at will"]) };
    case "gm:act": {
      const t = pick(["fire", "launchMissile", "pointDefense", "useSandcaster", "evade", "changeRange", "repair", "sensorLock", "coordinate", "endTurn"]);
      return { shipId: pick(SHIPS), command: { type: t, ...shipCmd(t) } };
    }
    case "gm:addShip": return { ship: { side: pick(["players", "npc", "aliens"]), name: pick(["Extra", "<img src=x>", ""]), className: pick(["corsair", "fighter", "freeTrader", "deathStar"]) } };
    case "gm:removeShip": return { shipId: pick(SHIPS) };
    case "gm:releaseSeat": return { seatId: pick(["s1", "s2", "s3", "s99", "g1", "x"]) };
    case "gm:end": return { winner: pick(["players", "npc", "draw", "nobody"]), reason: pick(["surrender", "escape", "gm", "boredom"]) };
    default: return {};
  }
}

/** One fuzz message: a type and a payload, valid, mutated, or garbage. */
function generate(r: () => number, pick: Pick, stamp: number, cidSeq: () => string) {
  const type = r() < 0.06 ? pick(ODD_TYPES) : pick(TYPES);
  const roll = r();
  let payload: unknown;
  if (roll < 0.4) {
    payload = { cid: cidSeq(), ...validPayload(type, pick, r), ...(r() < 0.5 ? { v: r() < 0.7 ? stamp : Math.floor(r() * 2000) } : {}) };
  } else if (roll < 0.8) {
    const p: Record<string, unknown> = { cid: r() < 0.8 ? cidSeq() : pick(WEIRD), ...validPayload(type, pick, r) };
    const keys = Object.keys(p);
    switch (Math.floor(r() * 7)) {
      case 0: delete p[pick(keys)]; break;
      case 1: p[pick(keys)] = pick(WEIRD); break;
      case 2: p[pick(["extra", "shipId", "role", "gm", "seatId", "isAdmin"])] = pick(WEIRD); break;
      case 3: Object.defineProperty(p, "__proto__", { value: { polluted: true }, enumerable: true }); break;
      case 4: p["constructor"] = { prototype: { polluted: true } }; break;
      case 5: p[pick(keys)] = "\u0000".repeat(Math.floor(r() * 3000)); break;
      default: p.cid = "dup-1"; break; // a re-used command id
    }
    payload = p;
  } else {
    payload = pick(WEIRD);
  }
  return { type, payload };
}

interface Member { label: string; room: Room<any, any>; seat?: SeatReply; rejoin?: Record<string, unknown>; replies: string[] }

interface Battle { roomId: string; room: BattleRoom; members: Member[] }

export async function runFuzz(server: TestServer, opts: FuzzOptions): Promise<FuzzResult> {
  const r = rng(opts.seed ?? 1);
  const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  const maxPayload = opts.maxPayloadBytes ?? server.config.MAX_PAYLOAD_BYTES;
  const result: FuzzResult = { sent: 0, ms: 0, byReply: {}, rejectedThatChangedState: [], rejoins: 0, battles: 0, uncaught: [] };
  const count = (k: string) => { result.byReply[k] = (result.byReply[k] ?? 0) + 1; };
  const onUncaught = (err: unknown) => { result.uncaught.push(String((err as Error)?.stack ?? err)); };
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  // Exceptions the room caught itself (onUncaughtException) are failures too.
  const detach = addObserver({ roomError: (e) => { result.uncaught.push(`room ${e.method}: ${e.message}`); } });
  let cid = 0;
  const cidSeq = () => `f${++cid}`;
  const started = Date.now();
  const deadline = started + (opts.maxMs ?? Infinity);

  const attach = (m: Member, room: Room<any, any>) => {
    m.room = room;
    room.reconnection.enabled = false; // the fuzzer rejoins itself, with the seat key
    room.onMessage("seat", (s: SeatReply) => {
      m.seat = s;
      if (s.role === "gm") m.rejoin = { gmKey: s.key };
      else if (s.role === "player") m.rejoin = { seatKey: s.key };
    });
    room.onMessage("ack", (_a: AckReply) => m.replies.push("ack"));
    room.onMessage("error", (e: ErrorReply) => m.replies.push(`error:${e.code}`));
    room.onMessage("*", () => undefined);
  };

  async function join(roomId: string, label: string, options: Record<string, unknown>): Promise<Member> {
    const m: Member = { label, room: undefined as unknown as Room<any, any>, replies: [] };
    attach(m, await server.sdk().joinById(roomId, options));
    return m;
  }

  async function newBattle(): Promise<Battle> {
    const gmRoom = await server.sdk().create("battle", {
      name: "Fuzz", allowSpectators: true, turnTimeoutSec: 600, ruleset: pick(["ce", "mgt2e"]),
      ships: [
        { side: "players", name: "One", className: "freeTrader" },
        { side: "players", name: "Two", className: "freeTrader" },
        { side: "npc", name: "Raider", className: "corsair" },
        { side: "npc", name: "Wing", className: "fighter" },
      ],
    });
    const gm: Member = { label: "gm", room: gmRoom, replies: [] };
    attach(gm, gmRoom);
    const members = [
      gm,
      await join(gmRoom.roomId, "p1", { name: "All", shipId: "p1", positions: ["pilot", "gunner", "engineer", "captain", "sensors"] }),
      await join(gmRoom.roomId, "p2g", { name: "Gunner", shipId: "p2", positions: ["gunner"] }),
      await join(gmRoom.roomId, "p2p", { name: "Pilot", shipId: "p2", positions: ["pilot", "engineer", "captain", "sensors"] }),
      await join(gmRoom.roomId, "spectator", { spectator: true }),
    ];
    result.battles++;
    return { roomId: gmRoom.roomId, room: server.colyseus.getRoomById(gmRoom.roomId) as unknown as BattleRoom, members };
  }

  /** Waits until the server has handled everything this member sent: a request no handler answers. */
  async function barrier(m: Member): Promise<"ok" | "closed"> {
    // A raw frame may forge a request whose id the server answers for the SDK's next request:
    // then the barrier gets that answer instead of its own, and simply asks again.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!m.room.connection.isOpen) return "closed";
      try {
        await m.room.request("__fuzz_sync", undefined, { timeout: 5000 });
      } catch (err) {
        if (!m.room.connection.isOpen) return "closed";
        if (/no_handler|onMessage\("__fuzz_sync"\)/.test(String((err as Error).message ?? err))) return "ok";
        if (attempt === 2) throw err;
      }
    }
    return "ok";
  }

  async function rejoin(b: Battle, m: Member): Promise<void> {
    if (!m.rejoin) {
      attach(m, await server.sdk().joinById(b.roomId, { spectator: true }));
    } else {
      attach(m, await server.sdk().joinById(b.roomId, m.rejoin));
    }
    result.rejoins++;
  }

  async function fuzzBattle(share: number): Promise<void> {
    let b = await newBattle();
    let renewedAt = 0;
    for (let i = 0; i < share && Date.now() < deadline;) {
      const engine = b.room.engineState();
      if (engine.phase === "ended" || i - renewedAt >= 2000) {
        renewedAt = i;
        await Promise.all(b.members.map(leave));
        b = await newBattle();
      }
      if (engine.phase === "setup" && r() < 0.3) {
        b.members[0]!.room.send("gm:start", { cid: cidSeq() }); // get most messages judged in combat
        await barrier(b.members[0]!);
      }
      const m = pick(b.members);
      m.replies.length = 0;
      const battle = b.room.engineState();
      const before = JSON.stringify(battle);
      const version = battle.version;
      const logLength = b.room.commandLog.length;
      const kind = r();
      let closeCode: number | undefined;
      const closed = new Promise<number>((resolve) => m.room.onLeave((code: number) => resolve(code)));
      let desc: string;
      if (kind < 0.01) {
        desc = "oversized";
        m.room.send(pick(TYPES), { cid: cidSeq(), text: "x".repeat(maxPayload + 10 + Math.floor(r() * 500)) });
      } else if (kind < 0.03) {
        desc = "raw frame";
        const bytes = new Uint8Array(1 + Math.floor(r() * 40));
        for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(r() * 256);
        if (r() < 0.5) bytes[0] = 13; // ROOM_DATA with a garbage body
        m.room.connection.send(bytes);
      } else {
        const msg = generate(r, pick, turnStamp(battle), cidSeq);
        desc = `${m.label} ${msg.type} ${safeJson(msg.payload)}`;
        try {
          if (r() < 0.1) m.room.request(msg.type, msg.payload, { timeout: 5000 }).catch(() => undefined);
          else m.room.send(msg.type, msg.payload);
        } catch {
          continue; // the SDK itself could not encode it (larger than its send buffer): nothing was sent
        }
      }
      result.sent++;
      i++;
      if ((await barrier(m)) === "closed") {
        closeCode = await Promise.race([closed, new Promise<number>((res) => setTimeout(() => res(-1), 3000))]);
      }
      const changedNow = () => {
        const after = b.room.engineState();
        return after.version !== version || JSON.stringify(after) !== before;
      };
      // An accepted command's ack waits for its durable log append (the room applies it at once
      // and publishes after); the barrier's reply does not. A change must be acked within 2 s.
      for (const until = Date.now() + 2000; !m.replies.includes("ack") && closeCode === undefined && changedNow() && Date.now() < until;) {
        await new Promise((res) => setTimeout(res, 10));
      }
      const kinds = m.replies.length ? [...new Set(m.replies)] : [closeCode !== undefined ? `closed:${closeCode}` : "none"];
      kinds.forEach(count);
      const accepted = m.replies.includes("ack");
      if (!accepted) {
        const log = b.room.commandLog;
        let onlySystem = true;
        for (let i = logLength; i < log.length; i++) onlySystem &&= log.at(i)!.actor.kind === "system";
        if (changedNow() && !(b.room.commandLog.length > logLength && onlySystem)) {
          result.rejectedThatChangedState.push(desc.slice(0, 300));
        }
      }
      if (closeCode !== undefined) await rejoin(b, m);
      if (result.sent % 1000 === 0) opts.onProgress?.({ ...result, ms: Date.now() - started });
    }
    await Promise.all(b.members.map(leave));
  }

  try {
    const n = Math.max(1, opts.battles ?? 4);
    const shares = Array.from({ length: n }, (_, k) => Math.floor(opts.messages / n) + (k < opts.messages % n ? 1 : 0));
    await Promise.all(shares.map((s) => fuzzBattle(s)));
  } finally {
    detach();
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
  }
  result.ms = Date.now() - started;
  return result;
}

/** Leaves a room; a connection that is already closed has nothing to wait for. */
async function leave(m: Member): Promise<void> {
  if (!m.room.connection.isOpen) return;
  await withTimeout(m.room.leave(true), 3000, "leave").catch(() => undefined);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
