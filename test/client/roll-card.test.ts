// Roll cards against the engine: battles played by a seeded random crew (every command the
// rules allow, tried in a shuffled order) give every kind of roll; each event takes the form its
// `log` message carries (src/commands/log-wire.ts) and the card built from it must add up to what
// the engine rolled.
import assert from "node:assert/strict";
import { apply, createBattle } from "../../src/engine";
import type { Command } from "../../src/engine/types";
import { createDice } from "../../src/rules/dice";
import type { Battle, LogEntry, Ruleset } from "../../src/rules/model";
import { wireLogEntry } from "../../src/commands/log-wire";
import { cardText, checkSum, damageSum, groupCards, rollCard, type RollCard, type WireLogEntry } from "../../client/roll-card";
import { GM, actorFor, must } from "../engine/helpers";

const turrets = [
  { mount: "triple" as const, weapon: "pulseLaser" as const },
  { mount: "triple" as const, weapon: "missileRack" as const, missiles: 30, smartMissiles: 30 },
  { mount: "double" as const, weapon: "sandcaster" as const, sand: 40 },
  { mount: "single" as const, weapon: "missileRack" as const, missiles: 30, smartMissiles: 30 },
  { mount: "double" as const, weapon: "beamLaser" as const },
];
const custom = { tons: 400, armour: 2, thrust: 3, hull: 12, structure: 12, turrets };

/** A small deterministic generator for the crew's choices (the dice have their own). */
function chooser(seed: number) {
  let x = seed * 2654435761 % 2 ** 32 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 2 ** 32; };
}

function candidates(b: Battle, id: string, pick: () => number): Command[] {
  const s = b.ships[id]!;
  const enemies = Object.values(b.ships).filter((o) => o.side !== s.side && !o.destroyed && !o.escaped);
  const t = enemies[Math.floor(pick() * enemies.length)];
  if (!t) return [];
  const list: Command[] = [
    { type: "fire", shipId: id, turretId: "t1", targetId: t.id },
    { type: "launchMissile", shipId: id, turretId: "t2", targetId: t.id, missile: pick() < 0.5 ? "smart" : "standard" },
    { type: "pointDefense", shipId: id, turretId: "t5" },
    { type: "launchMissile", shipId: id, turretId: "t4", targetId: t.id, missile: "smart" },
    { type: "useSandcaster", shipId: id, turretId: "t3" },
    { type: "evade", shipId: id, mode: pick() < 0.5 ? "dodge" : "evasive" },
    { type: "changeRange", shipId: id, targetId: t.id, direction: pick() < 0.6 ? "farther" : "closer" },
    { type: "repair", shipId: id },
    { type: "sensorLock", shipId: id, targetId: t.id },
    { type: "coordinate", shipId: id, mode: pick() < 0.5 ? "initiative" : "pool" },
  ];
  return list.sort(() => pick() - 0.5);
}

/** What kind of roll an event is, for the coverage list (the smart missile's re-attack apart). */
function kindOf(e: LogEntry, seenMissiles: Set<string>): string {
  if (e.action === "missileArrives") {
    const id = /missile (m\d+)/i.exec(e.result)?.[1] ?? "";
    const again = seenMissiles.has(id);
    seenMissiles.add(id);
    return again ? "smart missile re-attack" : "missile arrival";
  }
  if (e.action === "changeRange" && /escapes/.test(e.result)) return "escape";
  // Readying point defence and launching a smart missile roll nothing (SRD): no card sums to check.
  if (e.action === "pointDefense" && !e.dice.length) return "point defence readied";
  if (e.action === "launchMissile" && !e.dice.length) return "smart missile launch";
  return e.action;
}

interface Played { events: LogEntry[]; kinds: Map<string, LogEntry[]> }

function play(ruleset: Ruleset, seed: number, into: Played): void {
  const b = createBattle({
    ruleset, startingRange: "long",
    ships: [
      { side: "players", name: "Lance", className: "custom", custom },
      { side: "players", name: "Kestrel", className: "custom", custom },
      { side: "npc", name: "Corsair", className: "custom", custom },
    ],
  });
  const dice = createDice(seed);
  const pick = chooser(seed);
  const seen = new Set<string>();
  const take = (events: LogEntry[]) => {
    for (const e of events) {
      into.events.push(e);
      const k = kindOf(e, seen);
      into.kinds.set(k, [...(into.kinds.get(k) ?? []), e]);
    }
  };
  take(must(apply(b, GM, { type: "start" }, dice)).events);
  for (let step = 0; step < 60 && b.phase === "combat"; step++) {
    const id = b.order[b.turnIndex]!;
    for (const cmd of candidates(b, id, pick)) {
      const r = apply(b, actorFor(b, id), cmd, dice);
      if (r.ok) take(r.events);
      if (b.phase !== "combat" || b.order[b.turnIndex] !== id) break;
    }
    if (b.phase === "combat" && b.order[b.turnIndex] === id) take(must(apply(b, actorFor(b, id), { type: "endTurn", shipId: id }, dice)).events);
  }
}

const NAMES: Record<string, string> = { p1: "Lance", p2: "Kestrel", n1: "Corsair" };
const name = (id: string) => NAMES[id] ?? id;

/** The entry as the GM receives it (every detail) and as a seat without the target's details does. */
function onTheWire(e: LogEntry): { gm: WireLogEntry; outsider: WireLogEntry } {
  return { gm: wireLogEntry(e, true), outsider: wireLogEntry(e, false) };
}

const KINDS = [
  "fire", "missile arrival", "smart missile re-attack", "pointDefense", "sandcaster", "dodgeCheck", "sensorLock",
  "repair", "coordinate", "changeRange", "escape", "initiative", "evade", "launchMissile",
];
// The 2e style's dodge always works: no Pilot check to show.
const kindsOf = (ruleset: Ruleset) => KINDS.filter((k) => ruleset === "ce" || k !== "dodgeCheck");
const INTERNAL = /useSandcaster|missileArrives|pointDefense|launchMissile|sensorLock|changeRange|dodgeCheck|mDrive|jDrive|powerPlant|veryLong/;

for (const ruleset of ["ce", "mgt2e"] as const) {
  describe(`roll cards (${ruleset}): built from the log messages' entries, checked against the engine's events`, function () {
    this.timeout(60_000);
    const played: Played = { events: [], kinds: new Map() };
    before(() => {
      for (let seed = 1; seed <= 60 && kindsOf(ruleset).some((k) => !played.kinds.has(k) || (k === "fire" && !played.kinds.get(k)!.some((e) => e.damage))); seed++) {
        play(ruleset, seed, played);
      }
    });

    it("plays every action type the cards cover", () => {
      assert.deepEqual(kindsOf(ruleset).filter((k) => !played.kinds.has(k)), []);
    });

    for (const kind of kindsOf(ruleset)) {
      it(`a roll card's dice and DMs add up to its total (checked against the engine's event) for ${kind}`, () => {
        for (const e of played.kinds.get(kind) ?? []) {
          const card = rollCard(onTheWire(e).gm, name);
          assert.ok(card.check, `${kind} #${e.seq} has a check`);
          assert.deepEqual(card.check.dice, e.dice, `${kind} #${e.seq}: the check's dice`);
          assert.equal(card.check.dice.length, kind === "initiative" && e.dice.length === 0 ? 0 : 2, `${kind} #${e.seq}: 2D6`);
          assert.equal(checkSum(card.check), e.total, `${kind} #${e.seq}: ${cardText(card)}`);
          assert.equal(card.check.total, e.total);
          if (kind !== "initiative") {
            assert.equal(card.check.need, e.need, `${kind} #${e.seq}: the target number`);
            assert.equal(card.check.effect, e.total! - e.need!, `${kind} #${e.seq}: the Effect`);
          }
          if (e.damage) {
            assert.ok(card.damage, `${kind} #${e.seq} has its damage`);
            assert.deepEqual(card.damage.dice, e.damage.dice);
            assert.equal(card.damage.total, e.damage.total, `${kind} #${e.seq}: ${cardText(card)}`);
            assert.equal(damageSum(card.damage), e.damage.total, `${kind} #${e.seq}: the damage adds up: ${cardText(card)}`);
            assert.deepEqual(card.damage.hits, e.damage.hits);
          } else assert.equal(card.damage, undefined);
          assert.doesNotMatch(cardText(card), INTERNAL, `${kind} #${e.seq}: human wording`);
        }
      });
    }

    it("keeps the target's armour and the damage after it from a seat without the target's details", () => {
      const hits = played.events.filter((e) => e.damage && e.action !== "sandcaster");
      assert.ok(hits.length > 0);
      for (const e of hits) {
        const card = rollCard(onTheWire(e).outsider, name);
        assert.ok(!card.damage!.modifiers.some((m) => m.label === "armour"), "no armour figure");
        assert.equal(card.damage!.total, undefined, "no damage total (it gives the armour away)");
        assert.ok(card.damage!.armourHidden);
        assert.deepEqual(card.damage!.dice, e.damage!.dice, "the attacker's damage dice are public");
        assert.doesNotMatch(cardText(card), /armour \d|= \d+$/);
      }
    });

    it("groups the shots of one turret's volley into one group, and nothing else", () => {
      const cards: RollCard[] = played.events.map((e) => rollCard(onTheWire(e).gm, name));
      const groups = groupCards(cards);
      assert.ok(groups.some((g) => g.length === 3 && g.every((c) => c.verb === "fires at")), "a triple turret's three shots in one group");
      for (const g of groups) if (g.length > 1) assert.ok(g.every((c) => c.group === g[0]!.seq), "one volley per group");
      assert.equal(groups.flat().length, cards.length);
    });
  });
}
