import assert from "node:assert/strict";
import { apply, createBattle } from "../../src/engine";
import type { Actor, Command, RejectCode } from "../../src/engine/types";
import { fixedDice } from "../../src/rules/dice";
import { MAX_MISSILES_IN_FLIGHT } from "../../src/data/missiles";
import type { Battle } from "../../src/rules/model";
import { clone, crew, GM, must, SYSTEM } from "./helpers";

/** p1 free trader (first), p2 scout, n1 patrol corvette, n2 fighter; CE, Short; round 1, p1 active. */
function combat(): Battle {
  const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [
    { side: "players", name: "Trader", className: "freeTrader" }, { side: "players", name: "Scout", className: "scout" },
    { side: "npc", name: "Corvette", className: "patrolCorvette" }, { side: "npc", name: "Wasp", className: "fighter" },
  ] });
  must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 5, 5, 2, 2, 1, 1])));
  return b;
}
const setup = () => createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "players", name: "A", className: "scout" }, { side: "npc", name: "B", className: "fighter" }] });

type Case = [string, () => Battle, Actor, Command, RejectCode];
const P1 = crew("p1");
const cases: Case[] = [
  ["crew commanding another ship", combat, P1, { type: "endTurn", shipId: "p2" }, "forbidden"],
  ["fire before the start", setup, crew("p1"), { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, "wrongPhase"],
  ["a fire out of turn", combat, crew("p2"), { type: "fire", shipId: "p2", turretId: "t1", targetId: "n2" }, "notYourTurn"],
  ["an end of turn out of turn", combat, GM, { type: "endTurn", shipId: "n1" }, "notYourTurn"],
  ["the pilot acting twice", (() => { const b = combat(); must(apply(b, P1, { type: "evade", shipId: "p1", mode: "evasive" }, fixedDice([4, 4]))); return b; }), P1, { type: "changeRange", shipId: "p1", targetId: "n1", direction: "closer" }, "alreadyActed"],
  ["a ship id that does not exist (GM)", combat, GM, { type: "endTurn", shipId: "n9" }, "unknownShip"],
  ["a target that does not exist", combat, P1, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n9" }, "unknownShip"],
  ["a turret that does not exist", combat, P1, { type: "fire", shipId: "p1", turretId: "t9", targetId: "n1" }, "unknownTurret"],
  ["firing at an own-side ship", combat, P1, { type: "fire", shipId: "p1", turretId: "t1", targetId: "p2" }, "invalidTarget"],
  ["firing at a destroyed ship", (() => { const b = combat(); b.ships.n2!.destroyed = true; return b; }), P1, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n2" }, "invalidTarget"],
  ["launching from a laser turret", combat, P1, { type: "launchMissile", shipId: "p1", turretId: "t1", targetId: "n1", missile: "standard" }, "wrongWeapon"],
  ["firing a sandcaster", combat, P1, { type: "fire", shipId: "p1", turretId: "t2", targetId: "n1" }, "wrongWeapon"],
  ["point defence from a sandcaster", combat, P1, { type: "pointDefense", shipId: "p1", turretId: "t2" }, "wrongWeapon"],
  ["a sandcaster with no sand", (() => { const b = combat(); b.ships.p1!.turrets[1]!.sand = 0; return b; }), P1, { type: "useSandcaster", shipId: "p1", turretId: "t2" }, "noAmmo"],
  ["a missile launch with no standard missiles", (() => { const b = combat(); b.order = ["n1", "p1", "p2", "n2"]; b.ranges["n1|p1"] = "medium"; return b; }), GM, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "standard" }, "noAmmo"],
  ["a missile launch at Short... Close", (() => { const b = combat(); b.order = ["n1", "p1", "p2", "n2"]; b.ranges["n1|p1"] = "close"; return b; }), GM, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, "outOfRange"],
  ["a missile launch past the battle's missiles-in-flight limit", (() => {
    const b = combat(); b.order = ["n1", "p1", "p2", "n2"]; b.ranges["n1|p1"] = "medium";
    // Two places left: the triple rack's volley of three does not fit.
    while (b.missiles.length < MAX_MISSILES_IN_FLIGHT - 2) {
      b.missiles.push({ id: `m${1000 + b.missiles.length}`, kind: "standard", fromShipId: "n1", targetId: "p1", launchRound: 1, arriveRound: 2, toHit: 8 });
    }
    return b;
  }), GM, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, "tooManyMissiles"],
  ["a CE pulse laser at Distant", (() => { const b = combat(); b.order = ["p2", "p1", "n1", "n2"]; b.ranges["n1|p2"] = "distant"; return b; }), crew("p2"), { type: "fire", shipId: "p2", turretId: "t1", targetId: "n1" }, "outOfRange"],
  ["closing from Adjacent", (() => { const b = combat(); b.ranges["n1|p1"] = "adjacent"; return b; }), P1, { type: "changeRange", shipId: "p1", targetId: "n1", direction: "closer" }, "outOfRange"],
  ["a disabled turret", (() => { const b = combat(); b.ships.p1!.turrets[0]!.damage = 2; return b; }), P1, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, "systemDisabled"],
  ["evading with a disabled M-drive", (() => { const b = combat(); b.ships.p1!.systems.mDrive = 2; return b; }), P1, { type: "evade", shipId: "p1", mode: "evasive" }, "systemDisabled"],
  ["a sensor lock with disabled sensors", (() => { const b = combat(); b.ships.p1!.systems.sensors = 3; return b; }), P1, { type: "sensorLock", shipId: "p1", targetId: "n1" }, "systemDisabled"],
  ["a reaction with none left", (() => { const b = combat(); b.ships.p2!.reactionsLeft = 0; return b; }), crew("p2"), { type: "evade", shipId: "p2", mode: "dodge" }, "noReactionsLeft"],
  ["a repair with nothing damaged", combat, P1, { type: "repair", shipId: "p1" }, "nothingToRepair"],
  ["a repair of a destroyed system", (() => { const b = combat(); b.ships.p1!.systems.jDrive = 3; return b; }), P1, { type: "repair", shipId: "p1", system: "jDrive" }, "nothingToRepair"],
  ["an 11th NPC ship", (() => { const b = setup(); for (let i = 0; i < 9; i++) must(apply(b, GM, { type: "addShip", ship: { side: "npc", name: `F${i}`, className: "fighter" } }, fixedDice([]))); return b; }), GM, { type: "addShip", ship: { side: "npc", name: "Extra", className: "fighter" } }, "tooManyShips"],
  ["a timeout for a finished turn", combat, SYSTEM, { type: "timeout", round: 1, turnIndex: 1 }, "stale"],
  ["a second dodge in a round", (() => { const b = combat(); b.ships.p2!.dodgeReady = true; return b; }), crew("p2"), { type: "evade", shipId: "p2", mode: "dodge" }, "alreadyActed"],
  ["an unknown ship class", setup, GM, { type: "addShip", ship: { side: "npc", name: "X", className: "deathStar" } }, "unknownShip"],
];

describe("rejected commands", () => {
  for (const [name, make, actor, cmd, code] of cases) {
    it(`rejects ${name} with ${code} and leaves the battle deep-equal`, () => {
      const b = make();
      const before = clone(b);
      const r = apply(b, actor, cmd, fixedDice([]));
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.code, code, r.message);
      assert.deepEqual(b, before);
    });
  }
});
