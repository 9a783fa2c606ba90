import assert from "node:assert/strict";
import { activeShipId, apply, BattleSetupError, createBattle } from "../../src/engine";
import { createDice, fixedDice } from "../../src/rules/dice";
import { pairKey } from "../../src/rules/model";
import { SHIP_CLASSES, shipClassKeys } from "../../src/data/ships";
import { GM, must, setup2v2 } from "./helpers";

describe("createBattle", () => {
  it("numbers player ships p1.. and NPC ships n1.. in spec order, all at the starting range", () => {
    const b = createBattle(setup2v2("ce", "long"));
    assert.deepEqual(Object.keys(b.ships), ["p1", "p2", "n1", "n2"]);
    assert.equal(b.ships.p2!.name, "Kestrel");
    assert.equal(b.ships.n2!.name, "Wasp");
    assert.deepEqual(Object.keys(b.ranges).length, 4);
    for (const p of ["p1", "p2"]) for (const n of ["n1", "n2"]) assert.equal(b.ranges[pairKey(p, n)], "long");
    assert.equal(b.phase, "setup");
    assert.equal(b.round, 0);
  });
  it("throws a typed error for more than 10 NPC ships", () => {
    const ships = Array.from({ length: 11 }, (_, i) => ({ side: "npc" as const, name: `F${i}`, className: "fighter" }));
    assert.throws(() => createBattle({ ruleset: "ce", startingRange: "short", ships }), (e: unknown) => e instanceof BattleSetupError && e.code === "tooManyShips");
  });
  it("throws a typed error for an unknown class or a custom ship without stats", () => {
    assert.throws(() => createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "npc", name: "X", className: "deathStar" }] }),
      (e: unknown) => e instanceof BattleSetupError && e.code === "invalidClass");
    assert.throws(() => createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "npc", name: "X", className: "custom" }] }),
      (e: unknown) => e instanceof BattleSetupError && e.code === "invalidShip");
  });
  it("uses CE hull/structure or 2e-style hull (0.4 x tons) by ruleset", () => {
    const ce = createBattle(setup2v2("ce"));
    const mg = createBattle(setup2v2("mgt2e"));
    assert.deepEqual([ce.ships.n1!.hull, ce.ships.n1!.structure], [12, 12]);
    assert.deepEqual([mg.ships.n1!.hull, mg.ships.n1!.structure], [240, 0]);
    for (const k of shipClassKeys) assert.equal(SHIP_CLASSES[k].mgt2eHull, Math.round(SHIP_CLASSES[k].tons * 0.4));
  });
  it("builds custom ships from tonnage with defaults for hull and ammunition", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [
      { side: "npc", name: "Odd", className: "custom", custom: { tons: 250, armour: 3, thrust: 2, turrets: [{ mount: "double", weapon: "missileRack" }] }, skills: { gunnery: 3 } },
    ] });
    const s = b.ships.n1!;
    assert.deepEqual([s.hull, s.structure, s.turrets[0]!.missiles, s.skills.gunnery, s.skills.pilot], [5, 5, 24, 3, 1]);
  });
  it("gives the fighter pilot 2 and every catalogue class a display name", () => {
    assert.equal(createBattle(setup2v2()).ships.n2!.skills.pilot, 2);
    for (const k of shipClassKeys) assert.ok(SHIP_CLASSES[k].displayName.length > 0);
  });
});

describe("starting a battle", () => {
  it("needs at least one ship per side", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "npc", name: "A", className: "fighter" }] });
    const r = apply(b, GM, { type: "start" }, fixedDice([]));
    assert.equal(r.ok, false);
  });
  it("rolls initiative for every ship, orders them, sets reactions and logs it all with rising seq", () => {
    const b = createBattle(setup2v2());
    // CE (SRD): 2D6, +1 for the faster ship, no Pilot skill: p1 12, p2 10, n1 6, n2 2+1(faster)=3
    const r = must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 5, 5, 3, 3, 1, 1])));
    assert.equal(b.phase, "combat");
    assert.equal(b.round, 1);
    assert.deepEqual(b.order, ["p1", "p2", "n1", "n2"]);
    assert.deepEqual(["p1", "p2", "n1", "n2"].map((id) => b.ships[id]!.initiative), [12, 10, 6, 3]);
    assert.deepEqual(["p1", "p2", "n1", "n2"].map((id) => b.ships[id]!.reactionsLeft), [3, 3, 2, 1]);
    assert.ok(r.events.filter((e) => e.action === "initiative").every((e) => !e.modifiers.some((m) => m.label === "pilot")), "no Pilot DM");
    assert.equal(activeShipId(b), "p1");
    assert.deepEqual(r.events.map((e) => e.seq), r.events.map((_, i) => i + 1));
    assert.ok(r.events.find((e) => e.actor === "n2" && e.action === "initiative")!.modifiers.some((m) => m.label === "faster" && m.value === 1));
    assert.equal(b.version, 1);
  });
  it("refuses to start twice", () => {
    const b = createBattle(setup2v2());
    must(apply(b, GM, { type: "start" }, createDice(1)));
    const r = apply(b, GM, { type: "start" }, createDice(1));
    assert.deepEqual(r.ok ? null : r.code, "wrongPhase");
  });
});
