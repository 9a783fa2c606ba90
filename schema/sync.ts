// Copies the engine's plain battle into the wire state. Assigning an unchanged primitive
// is not a change for @colyseus/schema, so re-syncing a ship costs only what moved.
import { ArraySchema } from "@colyseus/schema";
import type { Battle, Ship } from "../src/rules/model";
import { BattleState, ChatLine, MissileState, ShipState, TurretState } from "./BattleState";
import { CHAT_KEPT, CHAT_WIRE_BYTES, chatLineWireBytes, type ChatLineFields } from "./wire-budget";

/**
 * Per wire ship, the engine values it was last synced from, flat. Comparing plain values is a
 * fraction of the cost of going through the schema's setters (which compare too, behind a
 * property accessor and a change tracker): a command touches one or two of a battle's 15 ships.
 */
const synced = new WeakMap<ShipState, unknown[]>();

/** Each chat line's size bound, and the running total per state, so trimming never re-measures. */
const itemBytes = new WeakMap<ChatLine, number>();
const totals = new WeakMap<BattleState, { chat: number }>();
function totalsOf(state: BattleState) {
  let t = totals.get(state);
  if (!t) totals.set(state, (t = { chat: 0 }));
  return t;
}

/**
 * Per wire state, the battle-level engine values last synced (see `synced`), compared field by
 * field on every command without building anything: a command moves the version and little else.
 */
interface BattleSynced {
  ruleset?: string; phase?: string; round?: number; turnIndex?: number; activeShipId?: string; version?: number; paused?: boolean;
  winner?: string; reason?: string;
  order: readonly string[];
  ranges: Record<string, string>;
  /** The wire ships by id (a plain Map: the MapSchema's accessors cost more). */
  ships: Map<string, ShipState>;
  /** The wire missiles by id, with the two values of theirs that move in flight. */
  missiles: Map<string, { wire: MissileState; arriveRound: number; reattacks: number }>;
}
const syncedBattle = new WeakMap<BattleState, BattleSynced>();

export function syncBattle(state: BattleState, battle: Battle, activeShipId: string): void {
  let last = syncedBattle.get(state);
  if (!last) syncedBattle.set(state, (last = { order: [], ranges: {}, ships: new Map(), missiles: new Map() }));
  // In the schema's field order, as they were always assigned.
  if (last.ruleset !== battle.ruleset) state.ruleset = last.ruleset = battle.ruleset;
  if (last.phase !== battle.phase) state.phase = last.phase = battle.phase;
  if (last.round !== battle.round) state.round = last.round = battle.round;
  if (last.turnIndex !== battle.turnIndex) state.turnIndex = last.turnIndex = battle.turnIndex;
  if (last.activeShipId !== activeShipId) state.activeShipId = last.activeShipId = activeShipId;
  if (last.version !== battle.version) state.version = last.version = battle.version;
  const paused = battle.paused === true;
  if (last.paused !== paused) state.paused = last.paused = paused;
  if (battle.result && (last.winner !== battle.result.winner || last.reason !== battle.result.reason)) {
    state.result.winner = last.winner = battle.result.winner;
    state.result.reason = last.reason = battle.result.reason;
  }
  if (!sameValues(last.order, battle.order)) {
    syncStrings(state.order, battle.order);
    last.order = battle.order.slice();
  }

  // The same ids as last time: as many, each of them known.
  let count = 0;
  let known = true;
  for (const id in battle.ships) {
    count++;
    if (known && !last.ships.has(id)) known = false;
  }
  if (!known || count !== last.ships.size) {
    for (const id of [...state.ships.keys()]) if (!battle.ships[id]) state.ships.delete(id);
    last.ships = new Map([...state.ships.entries()]);
  }
  for (const id in battle.ships) {
    const ship = battle.ships[id]!;
    let s = last.ships.get(id);
    if (!s) {
      s = new ShipState();
      state.ships.set(id, s);
      last.ships.set(id, s);
    }
    if (shipUnchanged(synced.get(s), ship)) continue;
    syncShip(s, ship);
    synced.set(s, shipValues(ship));
  }

  // Ranges change by a manoeuvre or a new ship: compared as plain values, set only where they moved.
  for (const key in last.ranges) {
    if (!(key in battle.ranges)) {
      state.ranges.delete(key);
      delete last.ranges[key];
    }
  }
  for (const key in battle.ranges) {
    const band = battle.ranges[key]!;
    if (last.ranges[key] === band) continue;
    state.ranges.set(key, band);
    last.ranges[key] = band;
  }

  if (missilesUnchanged(last.missiles, battle.missiles)) return;
  const inFlight = new Set(battle.missiles.map((m) => m.id));
  for (const id of [...last.missiles.keys()]) {
    if (inFlight.has(id)) continue;
    state.missiles.delete(id);
    last.missiles.delete(id);
  }
  for (const m of battle.missiles) {
    let rec = last.missiles.get(m.id);
    if (!rec) {
      const wire = new MissileState().assign({ id: m.id, kind: m.kind, fromShipId: m.fromShipId, targetId: m.targetId, launchRound: m.launchRound });
      state.missiles.set(m.id, wire);
      last.missiles.set(m.id, (rec = { wire, arriveRound: -1, reattacks: -1 }));
    }
    // A smart missile that misses attacks again next round: its arrival round moves on.
    const reattacks = m.reattacks ?? 0;
    if (rec.arriveRound !== m.arriveRound) rec.wire.arriveRound = rec.arriveRound = m.arriveRound;
    if (rec.reattacks !== reattacks) rec.wire.reattacks = rec.reattacks = reattacks;
  }
}

/** Whether the engine's missiles in flight are the ones last synced, with the same arrival and re-attacks. */
function missilesUnchanged(last: BattleSynced["missiles"], missiles: Battle["missiles"]): boolean {
  if (missiles.length !== last.size) return false;
  for (const m of missiles) {
    const rec = last.get(m.id);
    if (!rec || rec.arriveRound !== m.arriveRound || rec.reattacks !== (m.reattacks ?? 0)) return false;
  }
  return true;
}

function syncShip(s: ShipState, ship: Ship): void {
  s.id = ship.id;
  s.name = ship.name;
  s.side = ship.side;
  s.className = ship.className;
  s.tons = ship.tons;
  s.thrust = ship.thrust;
  s.destroyed = ship.destroyed;
  s.escaped = ship.escaped;
  s.condition = condition(ship);
  s.initiative = ship.initiative;
  s.evasive = ship.evasive;
  s.armour = ship.armour;
  s.hull = ship.hull;
  s.maxHull = ship.maxHull;
  s.structure = ship.structure;
  s.maxStructure = ship.maxStructure;
  for (const [name, sev] of Object.entries(ship.systems)) if (s.systems.get(name) !== sev) s.systems.set(name, sev);
  while (s.turrets.length > ship.turrets.length) s.turrets.pop();
  ship.turrets.forEach((t, i) => {
    let ts = s.turrets[i];
    if (!ts) {
      ts = new TurretState();
      s.turrets.push(ts);
    }
    ts.id = t.id; ts.mount = t.mount; ts.weapon = t.weapon; ts.damage = t.damage;
    ts.missiles = t.missiles; ts.smartMissiles = t.smartMissiles; ts.sand = t.sand;
    ts.usedRound = t.usedRound; ts.ready = t.ready;
  });
  s.reactionsLeft = ship.reactionsLeft;
  s.dodgeReady = ship.dodgeReady;
  s.coordinationPool = ship.coordinationPool;
  syncStrings(s.lockedOn, ship.lockedOn);
  syncStrings(s.actedThisTurn, ship.actedThisTurn);
}

/** Every engine value syncShip copies, in a fixed order (arrays and maps flattened with their lengths). */
function shipValues(ship: Ship): unknown[] {
  const v: unknown[] = [ship.name, ship.side, ship.className, ship.tons, ship.thrust, ship.destroyed, ship.escaped,
    ship.initiative, ship.evasive, ship.armour, ship.hull, ship.maxHull, ship.structure, ship.maxStructure,
    ship.reactionsLeft, ship.dodgeReady, ship.coordinationPool, ship.lockedOn.length, ...ship.lockedOn,
    ship.actedThisTurn.length, ...ship.actedThisTurn, ship.turrets.length];
  for (const name in ship.systems) v.push(name, ship.systems[name as keyof Ship["systems"]]);
  for (const t of ship.turrets) v.push(t.id, t.mount, t.weapon, t.damage, t.missiles, t.smartMissiles, t.sand, t.usedRound, t.ready);
  return v;
}

/** Whether `ship` still has the values `last` (shipValues) holds: the same walk, without allocating. */
function shipUnchanged(last: unknown[] | undefined, ship: Ship): boolean {
  if (!last) return false;
  let i = 0;
  if (last[i++] !== ship.name || last[i++] !== ship.side || last[i++] !== ship.className || last[i++] !== ship.tons
    || last[i++] !== ship.thrust || last[i++] !== ship.destroyed || last[i++] !== ship.escaped || last[i++] !== ship.initiative
    || last[i++] !== ship.evasive || last[i++] !== ship.armour || last[i++] !== ship.hull || last[i++] !== ship.maxHull
    || last[i++] !== ship.structure || last[i++] !== ship.maxStructure || last[i++] !== ship.reactionsLeft
    || last[i++] !== ship.dodgeReady || last[i++] !== ship.coordinationPool) return false;
  if (last[i++] !== ship.lockedOn.length) return false;
  for (const id of ship.lockedOn) if (last[i++] !== id) return false;
  if (last[i++] !== ship.actedThisTurn.length) return false;
  for (const role of ship.actedThisTurn) if (last[i++] !== role) return false;
  if (last[i++] !== ship.turrets.length) return false;
  for (const name in ship.systems) if (last[i++] !== name || last[i++] !== ship.systems[name as keyof Ship["systems"]]) return false;
  for (const t of ship.turrets) {
    if (last[i++] !== t.id || last[i++] !== t.mount || last[i++] !== t.weapon || last[i++] !== t.damage || last[i++] !== t.missiles
      || last[i++] !== t.smartMissiles || last[i++] !== t.sand || last[i++] !== t.usedRound || last[i++] !== t.ready) return false;
  }
  return i === last.length;
}

function sameValues(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A public, coarse summary of a ship's state that any observer could see. */
function condition(ship: Ship): string {
  if (ship.destroyed) return "destroyed";
  if (ship.escaped) return "escaped";
  if (ship.structure < ship.maxStructure || ship.hull * 2 < ship.maxHull) return "crippled";
  const systemsHit = Object.values(ship.systems).some((v) => v > 0);
  if (ship.hull < ship.maxHull || systemsHit || ship.turrets.some((t) => t.damage > 0)) return "damaged";
  return "intact";
}

function syncStrings(target: ArraySchema<string>, source: readonly string[]): void {
  if (target.length === source.length && source.every((v, i) => target[i] === v)) return;
  target.splice(0, target.length, ...source);
}

/** Appends a chat line and drops the oldest beyond what the wire keeps (CHAT_KEPT lines, CHAT_WIRE_BYTES). */
export function appendChat(state: BattleState, line: ChatLineFields & { seq: number; at: number }): void {
  const total = totalsOf(state);
  const chat = new ChatLine().assign(line);
  const bytes = chatLineWireBytes(line);
  itemBytes.set(chat, bytes);
  total.chat += bytes;
  state.chat.push(chat);
  let drop = 0;
  while (drop < state.chat.length - 1 && (state.chat.length - drop > CHAT_KEPT || total.chat > CHAT_WIRE_BYTES)) {
    total.chat -= itemBytes.get(state.chat[drop]) ?? 0;
    drop++;
  }
  if (drop > 0) state.chat.splice(0, drop);
}
