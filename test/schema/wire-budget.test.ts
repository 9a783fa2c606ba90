// The full state a joining client downloads, for the largest battle the limits allow: every limit
// at its maximum (15 custom ships of 20 turrets with 40-character names in 3-byte characters, every
// system hit, every lock, the most missiles in flight, six seats, a full chat of the longest
// lines), encoded as the GM's view (every detail) and as a player's view; and the combat log's
// tail a joining client is sent beside it (src/commands/log-wire.ts), at its worst.
import assert from "node:assert/strict";
import { Encoder, StateView } from "@colyseus/schema";
import { Protocol, getMessageBytes } from "@colyseus/core";
import { createBattle } from "../../src/engine";
import { LIMITS, LOG_MESSAGE, LOG_WIRE_BYTES, wireLogEntry, wireLogEntryBytes, type WireLogEntry } from "../../src/commands";
import { LogFeed } from "../../src/battle/log-feed";
import { MAX_MISSILES_IN_FLIGHT } from "../../src/data/missiles";
import { MAX_SHIPS } from "../../src/data/ships";
import { ROLES, SYSTEM_NAMES, pairKey, type Battle, type LogEntry } from "../../src/rules/model";
import { BattleState, CrewMember, DETAIL } from "../../schema/BattleState";
import { appendChat, syncBattle } from "../../schema/sync";
import { CHAT_WIRE_BYTES, WIRE_STATE_BUDGET_BYTES, chatLineWireBytes } from "../../schema/wire-budget";
import { FULL_STATE_BUFFER_BYTES } from "../../rooms/full-state-serializer";

/** The most UTF-8 bytes a string of `n` UTF-16 units can take: 3-byte characters. */
const wide = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7 + seed) % 2000))).join("");

function worstBattle(): Battle {
  const turrets = Array.from({ length: 20 }, () => ({ mount: "triple" as const, weapon: "particleBeam" as const, missiles: 400, smartMissiles: 400, sand: 400 }));
  const ships = (["players", "npc"] as const).flatMap((side) => Array.from({ length: MAX_SHIPS[side] }, (_, i) => ({
    side, name: wide(LIMITS.name, i + (side === "npc" ? 10 : 0)), className: "custom",
    custom: { tons: 5000, armour: 15, thrust: 9, hull: 2000, structure: 2000, turrets },
  })));
  const battle = createBattle({ ruleset: "ce", startingRange: "distant", ships });
  battle.phase = "combat";
  battle.round = 65_000;
  battle.version = 4_000_000_000;
  battle.order = Object.keys(battle.ships);
  battle.nextId = 9_000_000;
  for (const ship of Object.values(battle.ships)) {
    ship.initiative = -99;
    ship.hull = 1999; ship.structure = 1999;
    for (const s of SYSTEM_NAMES) ship.systems[s] = 2;
    ship.turrets.forEach((t) => { t.damage = 1; t.usedRound = 65_000; t.ready = "pointDefense"; });
    ship.lockedOn = Object.values(battle.ships).filter((o) => o.side !== ship.side).map((o) => o.id);
    ship.actedThisTurn = [...ROLES];
  }
  for (let i = 0; i < MAX_MISSILES_IN_FLIGHT; i++) {
    battle.missiles.push({ id: `m${battle.nextId++}`, kind: "standard", fromShipId: "n10", targetId: "p5", launchRound: 64_999, arriveRound: 65_009, toHit: 11 });
  }
  battle.result = { winner: "draw", reason: "surrender" };
  return battle;
}

/** A log entry with hidden detail, long texts and many dice and modifiers, with a damage part. */
function bigEntry(seq: number, round: number, textLength: number): LogEntry {
  const mods = Array.from({ length: 8 }, (_, i) => ({ label: wide(24, i), value: -99 }));
  const damageMods = [...Array.from({ length: 3 }, (_, i) => ({ label: wide(24, i + 8), value: -99 })), { label: "armour", value: -99 }];
  return {
    seq, round, actor: "n10", action: "missileArrives", target: "p5", dice: Array(12).fill(6), modifiers: mods, total: -999,
    need: 250, effect: -120, volley: 4_000_000_000,
    damage: { dice: Array(12).fill(6), modifiers: damageMods, total: 30_000, hits: Array.from({ length: 6 }, (_, i) => wide(32, seq + i)) },
    result: wide(textLength, seq), publicResult: wide(textLength, seq + 1),
  };
}

function worstState(parts: { chat: boolean } = { chat: true }): BattleState {
  const battle = worstBattle();
  const state = new BattleState();
  state.name = wide(LIMITS.battleName);
  state.turnTimeoutSec = LIMITS.turnTimeoutSec.max;
  state.turnEndsAt = Date.now() + 1e12;
  syncBattle(state, battle, "p5");
  for (let i = 0; i < 1 + LIMITS.maxPlayers; i++) {
    const member = new CrewMember().assign({ id: `s${1_000_000 + i}`, name: wide(LIMITS.name, i), role: i === 0 ? "gm" : "player", shipId: "p5" });
    member.positions.push(...ROLES);
    state.crew.set(member.id, member);
  }
  // A long battle: hundreds of lines come and go, so reference ids are large.
  if (parts.chat) for (let i = 0; i < 500; i++) appendChat(state, { seq: i, from: "s1000001", fromName: wide(LIMITS.name, i), text: wide(LIMITS.chat, i), at: Date.now() });
  return state;
}

/** One encoder per state, as in a room (a second encoder on the same state would mix up the views). */
const encoders = new WeakMap<BattleState, Encoder<BattleState>>();

/** Bytes of the full state as a client with this view receives it (Colyseus adds one protocol byte). */
function fullStateBytes(state: BattleState, reveal: (view: StateView) => void): number {
  let encoder = encoders.get(state);
  if (!encoder) encoders.set(state, (encoder = new Encoder(state)));
  const buffer = new Uint8Array(1024 * 1024);
  const it = { offset: 0 };
  encoder.encodeAll(it, buffer);
  const view = new StateView();
  reveal(view);
  return encoder.encodeAllView(view, it.offset, { offset: it.offset }, buffer).byteLength + 1;
}

const gmView = (state: BattleState) => (view: StateView) => {
  for (const ship of state.ships.values()) view.add(ship, DETAIL);
};
// A player sees its whole fleet in detail (src/engine/visibility.ts).
const playerView = (state: BattleState) => (view: StateView) => {
  for (const ship of state.ships.values()) if (ship.side === "players") view.add(ship, DETAIL);
};

/** Bytes of a `log` message as the room sends it. */
const logMessageBytes = (entries: WireLogEntry[], tail = true) => getMessageBytes.raw(Protocol.ROOM_DATA, LOG_MESSAGE, { tail, entries }).byteLength;

describe("wire-state budget: the largest battle the limits allow", function () {
  this.timeout(60_000);
  let state: BattleState;
  before(() => { state = worstState(); });

  it("fits the GM's full state within the 100 KB budget and the full-state buffer", () => {
    const gm = fullStateBytes(state, gmView(state));
    process.stderr.write(`      worst-case full state: GM view ${gm} B, budget ${WIRE_STATE_BUDGET_BYTES} B, buffer ${FULL_STATE_BUFFER_BYTES} B\n`);
    assert.ok(gm <= WIRE_STATE_BUDGET_BYTES, `GM view ${gm} B over the budget`);
    assert.ok(WIRE_STATE_BUDGET_BYTES < FULL_STATE_BUFFER_BYTES);
  });

  it("fits a player's and a spectator's full state within the budget too", () => {
    const player = fullStateBytes(state, playerView(state));
    const spectator = fullStateBytes(state, () => undefined);
    process.stderr.write(`      worst-case full state: player view ${player} B, spectator ${spectator} B\n`);
    assert.ok(player <= WIRE_STATE_BUDGET_BYTES && spectator <= player);
  });

  it("keeps the chat within its byte bound, newest kept", () => {
    const full = fullStateBytes(state, gmView(state));
    const noChat = worstState({ chat: false });
    const chatBytes = full - fullStateBytes(noChat, gmView(noChat));
    process.stderr.write(`      worst-case chat ${chatBytes} B (bound ${CHAT_WIRE_BYTES})\n`);
    assert.ok(chatBytes > 0 && chatBytes <= CHAT_WIRE_BYTES, `chat ${chatBytes} B`);
    assert.equal(state.chat.at(-1)!.seq, 499, "the newest line is kept");
  });

  it("estimates each chat line at no less than what the encoder writes", () => {
    for (const textLength of [0, 1, 31, 32, 255, 256, 600]) {
      const line = { seq: 1, from: "s1", fromName: wide(LIMITS.name), text: wide(textLength), at: Date.now() };
      const s = new BattleState();
      const before = fullStateBytes(s, () => undefined);
      appendChat(s, line);
      const after = fullStateBytes(s, () => undefined);
      assert.ok(after - before <= chatLineWireBytes(line), `chat line of ${textLength}: ${after - before} B > estimate`);
    }
  });

  it("is really the largest: 15 ships, every range, the most missiles", () => {
    assert.equal(state.ships.size, 15);
    assert.equal(state.missiles.size, MAX_MISSILES_IN_FLIGHT);
    assert.equal(state.ranges.size, MAX_SHIPS.players * MAX_SHIPS.npc, "a range between every player ship and every NPC ship");
    assert.ok(state.ranges.has(pairKey("p1", "n10")));
  });
});

describe("combat-log budget: the tail a joining client is sent, at its worst", () => {
  it("keeps the GM's tail of a long battle of the largest entries within its byte bound, newest kept", () => {
    const battle = worstBattle();
    const feed = new LogFeed();
    let seq = 0;
    // 400 commands of 10 entries each, every one with hidden detail, long texts, 12 dice and 8 DMs.
    for (let r = 0; r < 400; r++) feed.publish(battle, Array.from({ length: 10 }, () => bigEntry(++seq, battle.round, 60 + (seq % 200))), new Set());
    const tail = feed.tailFor("gm");
    const bytes = logMessageBytes(tail.entries);
    process.stderr.write(`      worst-case log tail: ${tail.entries.length} entries, ${bytes} B (bound ${LOG_WIRE_BYTES} B)\n`);
    assert.ok(bytes <= LOG_WIRE_BYTES, `tail ${bytes} B over ${LOG_WIRE_BYTES} B`);
    assert.ok(bytes > LOG_WIRE_BYTES * 0.8, `the bound is what stops the tail (${bytes} B)`);
    assert.equal(tail.entries.at(-1)!.seq, 4000, "the newest entry is kept");
    assert.ok(tail.entries.every((e) => e.detail !== undefined), "the GM's tail has every detail");
    const player = feed.tailFor("player");
    assert.deepEqual(player.entries.map((e) => e.seq), tail.entries.map((e) => e.seq));
  });

  it("estimates each entry at no less than what the encoder writes", () => {
    const empty = logMessageBytes([], false);
    for (const textLength of [0, 1, 31, 32, 255, 256, 600]) {
      for (const detail of ["none", "public damage", "hidden damage"] as const) {
        const e = bigEntry(1, 1, textLength);
        const entry: LogEntry = detail === "hidden damage" ? e
          : detail === "public damage" ? { ...e, publicResult: undefined }
          : { ...e, publicResult: undefined, damage: undefined, dice: [], modifiers: [] };
        for (const full of [false, true]) {
          const w = wireLogEntry(entry, full);
          const bytes = logMessageBytes([w], false) - empty;
          assert.ok(bytes <= wireLogEntryBytes(w), `entry of ${textLength} (${detail}, full ${full}): ${bytes} B > estimate ${wireLogEntryBytes(w)} B`);
        }
      }
    }
  });
});
