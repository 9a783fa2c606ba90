// The GM in control, in the engine: the turn clock's pause, a skipped turn, acting for a player
// ship, corrections with a reason, and the undo of the last accepted commands (replayed exactly).
import assert from "node:assert/strict";
import { activeShipId, apply, replay, replayWithDice, UNDO_DEPTH } from "../../src/engine";
import type { Actor, ApplyResult, BattleSetup, Command } from "../../src/engine/types";
import { createDice, type SeededDice } from "../../src/rules/dice";
import type { Battle } from "../../src/rules/model";
import { actorFor, crew, GM, liveTable, must, SYSTEM } from "./helpers";

const SETUP: BattleSetup = {
  ruleset: "ce", startingRange: "short",
  ships: [{ side: "players", name: "Lance", className: "patrolCorvette" }, {
    // unarmoured, so that a hit does damage
    side: "npc", name: "Hulk", className: "custom",
    custom: { tons: 200, armour: 0, thrust: 1, turrets: [{ mount: "double", weapon: "pulseLaser" }] },
  }],
};

/** A live battle as a room holds it (helpers.ts). */
const table = (seed: number, setup = SETUP) => liveTable(setup, seed);
const code = (r: ApplyResult) => (r.ok ? "ok" : r.code);
const plain = (b: Battle) => JSON.parse(JSON.stringify(b)) as Battle;

/** The first seed whose opening shot of the active ship damages its target: the table just after that hit. */
function afterAHit() {
  for (let seed = 1; seed < 500; seed++) {
    const t = table(seed);
    must(t.send(GM, { type: "start" }));
    const id = activeShipId(t.battle)!;
    const target = id === "p1" ? "n1" : "p1";
    const turret = t.battle.ships[id]!.turrets.find((x) => x.weapon !== "missileRack" && x.weapon !== "sandcaster")!;
    const targetBefore = JSON.stringify(t.battle.ships[target]);
    const before = plain(t.battle);
    const diceBefore = t.dice.getState();
    const r = t.send(actorFor(t.battle, id), { type: "fire", shipId: id, turretId: turret.id, targetId: target });
    if (r.ok && JSON.stringify(t.battle.ships[target]) !== targetBefore) return { ...t, id, target, targetBefore, before, diceBefore, fire: r };
  }
  throw new Error("no seed below 500 hits on the first shot");
}

describe("the GM in control (engine)", () => {
  it("refuses a turn timeout while the GM has paused the clock, and accepts it after resume", () => {
    const t = table(7);
    must(t.send(GM, { type: "start" }));
    must(t.send(GM, { type: "pause" }));
    assert.equal(t.battle.paused, true);
    const timeout: Command = { type: "timeout", round: t.battle.round, turnIndex: t.battle.turnIndex };
    const r = t.send(SYSTEM, timeout);
    assert.equal(code(r), "wrongPhase");
    assert.equal(code(t.send(GM, { type: "pause" })), "wrongPhase", "pausing twice");
    must(t.send(GM, { type: "resume" }));
    assert.equal("paused" in t.battle, false, "a resumed battle serialises as one never paused");
    must(t.send(SYSTEM, timeout));
    assert.equal(code(t.send(GM, { type: "resume" })), "wrongPhase", "resuming a running clock");
  });

  it("keeps a paused battle paused when it is rebuilt from its log", () => {
    const t = table(8);
    must(t.send(GM, { type: "start" }));
    must(t.send(GM, { type: "pause" }));
    const rebuilt = replay(SETUP, 8, t.log);
    assert.equal(rebuilt.paused, true);
    assert.deepEqual(plain(rebuilt), plain(t.battle));
  });

  it("lets the GM skip the active ship's turn, even while paused, and nobody else", () => {
    const t = table(9);
    must(t.send(GM, { type: "start" }));
    const first = activeShipId(t.battle)!;
    assert.equal(code(t.send(crew("p1"), { type: "skipTurn" })), "forbidden");
    must(t.send(GM, { type: "pause" }));
    const r = must(t.send(GM, { type: "skipTurn" }));
    assert.match(r.events[0]!.result, /The GM skips .*'s turn/);
    assert.notEqual(activeShipId(t.battle), first);
  });

  it("lets the GM act for a player ship whose crew is absent", () => {
    const t = table(10);
    must(t.send(GM, { type: "start" }));
    if (activeShipId(t.battle) !== "p1") must(t.send(GM, { type: "endTurn", shipId: "n1" }));
    assert.equal(activeShipId(t.battle), "p1");
    must(t.send(GM, { type: "evade", shipId: "p1", mode: "evasive" }));
    assert.equal(t.battle.ships.p1!.evasive > 0, true);
  });

  it("makes ending the ship's turn the captain's call when a captain is aboard, anyone's otherwise", () => {
    const t = table(11);
    must(t.send(GM, { type: "start" }));
    if (activeShipId(t.battle) !== "p1") must(t.send(GM, { type: "endTurn", shipId: "n1" }));
    const gunner: Actor = { kind: "crew", shipId: "p1", roles: ["gunner"], captainAboard: true };
    assert.equal(code(t.send(gunner, { type: "endTurn", shipId: "p1" })), "forbidden");
    must(t.send({ kind: "crew", shipId: "p1", roles: ["gunner"] }, { type: "endTurn", shipId: "p1" }));
  });

  it("corrects hull, structure, armour and ammunition with the reason shown to the table", () => {
    const t = table(12);
    must(t.send(GM, { type: "start" }));
    const p1 = t.battle.ships.p1!;
    const rack = p1.turrets.find((x) => x.weapon === "missileRack");
    const r = must(t.send(GM, { type: "adjust", shipId: "p1", hull: p1.maxHull - 1, armour: 3, reason: "forgot the armour upgrade" }));
    assert.equal(p1.hull, p1.maxHull - 1);
    assert.equal(p1.armour, 3);
    assert.match(r.events[0]!.result, /GM correction to Lance: hull \d+ → \d+, armour \d+ → 3 \(reason: forgot the armour upgrade\)/);
    if (rack) {
      must(t.send(GM, { type: "adjust", shipId: "p1", turretId: rack.id, missiles: 2, reason: "reloaded" }));
      assert.equal(rack.missiles, 2);
    }
  });

  it("refuses corrections out of bounds, without a reason, or that would destroy a ship, changing nothing", () => {
    const t = table(13);
    must(t.send(GM, { type: "start" }));
    const p1 = t.battle.ships.p1!;
    const laser = p1.turrets.find((x) => x.weapon !== "missileRack" && x.weapon !== "sandcaster")!;
    const before = plain(t.battle);
    const cases: [Command, string][] = [
      [{ type: "adjust", shipId: "p1", hull: p1.maxHull + 1, reason: "x" }, "badValue"],
      [{ type: "adjust", shipId: "p1", hull: -1, reason: "x" }, "badValue"],
      [{ type: "adjust", shipId: "p1", hull: 1.5, reason: "x" }, "badValue"],
      [{ type: "adjust", shipId: "p1", structure: 0, reason: "x" }, "badValue"],
      [{ type: "adjust", shipId: "p1", armour: 2, reason: "" }, "badValue"],
      [{ type: "adjust", shipId: "p1", reason: "nothing" }, "badValue"],
      [{ type: "adjust", shipId: "p1", missiles: 3, reason: "x" }, "badValue"],
      [{ type: "adjust", shipId: "p1", turretId: laser.id, missiles: 3, reason: "x" }, "wrongWeapon"],
      [{ type: "adjust", shipId: "p1", turretId: "t99", sand: 3, reason: "x" }, "unknownTurret"],
      [{ type: "adjust", shipId: "n9", armour: 1, reason: "x" }, "unknownShip"],
    ];
    for (const [cmd, expected] of cases) assert.equal(code(t.send(GM, cmd)), expected, JSON.stringify(cmd));
    assert.equal(code(t.send(crew("p1"), { type: "adjust", shipId: "p1", armour: 9, reason: "cheat" })), "forbidden");
    assert.deepEqual(plain(t.battle), before);
  });

  it("undoes a hit: the target\'s damage is gone, the dice are not rewound, and the log keeps the hit and names the undo", () => {
    const t = afterAHit();
    const diceAfterHit = t.dice.getState();
    const r = must(t.send(GM, { type: "undo" }));
    assert.equal(JSON.stringify(t.battle.ships[t.target]), t.targetBefore, "the target's hull and systems are back");
    const { logSeq, version, ...rest } = plain(t.battle);
    const { logSeq: _s, version: _v, ...expected } = t.before;
    assert.deepEqual(rest, expected, "the battle is as it was before the shot");
    assert.equal(logSeq, t.fire.events.at(-1)!.seq + 1, "the log sequence moves on");
    assert.equal(version, t.before.version + 2);
    assert.deepEqual(t.dice.getState(), diceAfterHit, "the dice go on from after the undone shot");
    assert.notDeepEqual(t.dice.getState(), t.diceBefore);
    assert.match(r.events[0]!.result, /^GM correction: .*'s shot at .* undone \(log entr(y|ies) \d+/);
    assert.equal(r.events[0]!.seq, t.fire.events.at(-1)!.seq + 1);
  });

  it("undoes two commands when the GM undoes twice, and refuses when nothing is left", () => {
    const t = table(21);
    assert.equal(code(t.send(GM, { type: "undo" })), "nothingToUndo", "a new battle has nothing to undo");
    const setup = plain(t.battle);
    must(t.send(GM, { type: "start" }));
    const started = plain(t.battle);
    must(t.send(actorFor(t.battle, activeShipId(t.battle)!), { type: "endTurn", shipId: activeShipId(t.battle)! }));
    must(t.send(GM, { type: "undo" }));
    assert.equal(t.battle.turnIndex, started.turnIndex);
    must(t.send(GM, { type: "undo" }));
    assert.equal(t.battle.phase, "setup");
    assert.deepEqual({ ...plain(t.battle), logSeq: 0, version: 0 }, { ...setup, logSeq: 0, version: 0 });
    assert.equal(code(t.send(GM, { type: "undo" })), "nothingToUndo");
    assert.equal(code(t.send(crew("p1"), { type: "undo" })), "forbidden");
    assert.equal(code(apply(t.battle, GM, { type: "undo" }, t.dice)), "nothingToUndo", "apply() alone keeps no history");
  });

  it("takes back the end of a battle, but not a battle closed for idleness", () => {
    const t = table(23);
    must(t.send(GM, { type: "start" }));
    must(t.send(GM, { type: "end", winner: "draw", reason: "gm" }));
    must(t.send(GM, { type: "undo" }));
    assert.equal(t.battle.phase, "combat");
    assert.equal(t.battle.result, null);
    must(t.send(SYSTEM, { type: "idleEnd" }));
    assert.equal(code(t.send(GM, { type: "undo" })), "wrongPhase");
  });

  it(`takes back at most the last ${UNDO_DEPTH} commands, and never the clock's pause`, () => {
    const t = table(22);
    must(t.send(GM, { type: "start" }));
    for (let i = 0; i < UNDO_DEPTH + 2 && t.battle.phase === "combat"; i++) {
      const id = activeShipId(t.battle)!;
      must(t.send(actorFor(t.battle, id), { type: "endTurn", shipId: id }));
    }
    must(t.send(GM, { type: "pause" }));
    for (let i = 0; i < UNDO_DEPTH; i++) must(t.send(GM, { type: "undo" }));
    assert.equal(code(t.send(GM, { type: "undo" })), "nothingToUndo");
    assert.equal(t.battle.paused, true, "undos leave the pause as it is");
  });

  it("rebuilds from setup, seed and a log with undos exactly the battle the table saw", () => {
    for (const seed of [31, 32, 33]) {
      const t = table(seed);
      const pick = createDice(seed + 1000);
      must(t.send(GM, { type: "start" }));
      for (let i = 0; i < 120 && t.battle.phase === "combat"; i++) {
        const id = activeShipId(t.battle)!;
        const ship = t.battle.ships[id]!;
        const target = Object.values(t.battle.ships).find((s) => s.side !== ship.side)!.id;
        const turret = ship.turrets[pick.d6() % ship.turrets.length]!;
        const roll = pick.d6();
        const actor = actorFor(t.battle, id);
        if (roll === 1) t.send(GM, { type: "undo" });
        else if (roll === 2) t.send(actor, { type: "endTurn", shipId: id });
        else if (roll === 3) t.send(GM, { type: "adjust", shipId: target, armour: pick.d6(), reason: "test" });
        else t.send(actor, { type: "fire", shipId: id, turretId: turret.id, targetId: target });
        if (pick.d6() === 6) t.send(actor, { type: "endTurn", shipId: id });
      }
      assert.ok(t.log.some((s) => s.cmd.type === "undo"), "the log holds undos");
      const { battle, dice } = replayWithDice(SETUP, seed, t.log);
      assert.deepEqual(plain(battle), plain(t.battle), `seed ${seed}`);
      assert.deepEqual((dice as SeededDice).getState(), t.dice.getState(), `seed ${seed}: dice`);
    }
  });
});
