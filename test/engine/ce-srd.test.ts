// The `ce` ruleset against the Cepheus Engine SRD (space-combat.html), rule by rule through the
// engine with fixed dice, the house rules that replace some of them, and statistical checks over
// fixed seeds (deterministic: same seeds, same figures).
import assert from "node:assert/strict";
import { activeShipId, apply, createBattle, replay, type ReplayStep } from "../../src/engine";
import type { BattleSetup, Command, ShipSpec } from "../../src/engine/types";
import { createDice, fixedDice, type Dice } from "../../src/rules/dice";
import type { Battle, HouseRules, LogEntry } from "../../src/rules/model";
import { act, actorFor, GM, must } from "./helpers";

const corvette = (side: ShipSpec["side"], skills: ShipSpec["skills"] = {}): ShipSpec => ({ side, name: side === "npc" ? "Corvette" : "Lance", className: "patrolCorvette", skills });
const rackShip = (side: ShipSpec["side"], skills: ShipSpec["skills"] = {}): ShipSpec => ({
  side, name: "Rack", className: "custom", skills,
  custom: { tons: 200, armour: 2, thrust: 2, turrets: [{ mount: "single", weapon: "missileRack", missiles: 6 }, { mount: "single", weapon: "beamLaser" }] },
});
const trader: ShipSpec = { side: "players", name: "Trader", className: "freeTrader" };
const corsair: ShipSpec = { side: "npc", name: "Corsair", className: "corsair" };

function battle(ships: ShipSpec[], opts: { ruleset?: "ce" | "mgt2e"; range?: BattleSetup["startingRange"]; houseRules?: HouseRules } = {}): BattleSetup {
  return { ruleset: opts.ruleset ?? "ce", startingRange: opts.range ?? "medium", ships, houseRules: opts.houseRules };
}
function start(setup: BattleSetup, initiative: number[]): Battle {
  const b = createBattle(setup);
  must(apply(b, GM, { type: "start" }, fixedDice(initiative)));
  return b;
}
/** Ends every remaining turn of the round with the given dice for the round's end. */
function endRound(b: Battle, dice: Dice = fixedDice([])): LogEntry[] {
  const round = b.round;
  const events: LogEntry[] = [];
  while (b.round === round && b.phase === "combat") events.push(...must(act(b, { type: "endTurn", shipId: activeShipId(b)! }, dice)).events);
  return events;
}
const labelled = (e: LogEntry, label: string) => e.modifiers.find((m) => m.label === label)?.value;

describe("CE smart missiles (SRD: to-hit always 8+)", () => {
  it("launches with no launch roll: no dice, no sensor lock or captain's DM, the captain's pool kept, 8+ to hit", () => {
    const b = start(battle([trader, corvette("npc", { sensors: 2 })]), [1, 1, 6, 6]); // n1 13 first
    must(act(b, { type: "sensorLock", shipId: "n1", targetId: "p1" }, fixedDice([6, 6])));
    must(act(b, { type: "coordinate", shipId: "n1", mode: "pool" }, fixedDice([6, 5])));
    const pool = b.ships.n1!.coordinationPool;
    const launch = must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, fixedDice([])));
    assert.deepEqual([launch.events[0]!.dice, launch.events[0]!.modifiers], [[], []]);
    assert.match(launch.events[0]!.result, /need 8\+ on every attack/);
    assert.equal(b.ships.n1!.coordinationPool, pool, "no roll, so no pool point spent");
    assert.deepEqual(b.missiles.map((m) => m.toHit), [8, 8, 8]);
  });

  it("needs 8+ on its first attack too: a 7 misses and the missile attacks again next round at 8+", () => {
    const b = start(battle([trader, corvette("npc")]), [1, 1, 6, 6]);
    must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, fixedDice([])));
    endRound(b);
    // end of round 2: m1 rolls 7 (misses), m2 and m3 roll 2 (miss)
    const events = endRound(b, fixedDice([3, 4, 1, 1, 1, 1]));
    const arrivals = events.filter((e) => e.action === "missileArrives");
    assert.deepEqual(arrivals.map((e) => [e.total, /misses \(7 vs 8\+\)|misses \(2 vs 8\+\)/.test(e.result)]), [[7, true], [2, true], [2, true]]);
    assert.deepEqual(b.missiles.map((m) => [m.arriveRound, m.toHit, m.reattacks]), [[3, 8, 1], [3, 8, 1], [3, 8, 1]]);
  });

  it("leaves standard missiles to the launch roll, which takes the sensor lock's +2 after an exceptional lock", () => {
    const b = start(battle([rackShip("players", { sensors: 2, gunnery: 1 }), corsair]), [6, 6, 1, 1]);
    const lock = must(act(b, { type: "sensorLock", shipId: "p1", targetId: "n1" }, fixedDice([6, 6]))); // 12+2: Effect 6
    assert.match(lock.events[0]!.result, /\+2 to attacks this round/);
    const launch = must(act(b, { type: "launchMissile", shipId: "p1", turretId: "t1", targetId: "n1", missile: "standard" }, fixedDice([3, 2])));
    assert.equal(labelled(launch.events[0]!, "sensor lock"), 2);
    assert.equal(launch.events[0]!.total, 5 + 1 + 2); // Effect 0: 8+
    assert.deepEqual(b.missiles.map((m) => m.toHit), [8]);
  });

  it("keeps the 2e style's own rule: the smart launch roll sets the first attack and takes the lock's +1", () => {
    const b = start(battle([trader, corvette("npc")], { ruleset: "mgt2e" }), [1, 1, 6, 6]);
    must(act(b, { type: "sensorLock", shipId: "n1", targetId: "p1" }, fixedDice([4, 4])));
    const launch = must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, fixedDice([6, 6])));
    assert.equal(labelled(launch.events[0]!, "sensor lock"), 1);
    assert.deepEqual(b.missiles.map((m) => m.toHit), [6, 6, 6]);
  });
});

describe("CE initiative (SRD: rolled once for the battle, no Pilot)", () => {
  it("rolls 2D6 (+1 faster) once: later rounds roll no initiative dice and keep scores, order and reactions", () => {
    const b = start(battle([{ ...trader, skills: { pilot: 4 } }, corsair], { range: "long" }), [5, 4, 2, 3]);
    assert.deepEqual([b.ships.p1!.initiative, b.ships.n1!.initiative], [9, 5 + 1], "no Pilot; the corsair (thrust 4) is faster");
    for (let round = 2; round <= 6; round++) {
      const events = endRound(b);
      assert.equal(b.round, round);
      assert.ok(!events.some((e) => e.action === "initiative"));
      assert.deepEqual([b.ships.p1!.initiative, b.ships.n1!.initiative, b.order.join(), b.ships.p1!.reactionsLeft], [9, 6, "p1,n1", 3]);
    }
  });

  it("re-rolls every round with the Pilot skill under the house rule rerollInitiative", () => {
    const b = start(battle([{ ...trader, skills: { pilot: 4 } }, corsair], { houseRules: { rerollInitiative: true } }), [5, 4, 2, 3]);
    assert.deepEqual([b.ships.p1!.initiative, b.ships.n1!.initiative], [9 + 4, 5 + 1 + 1]);
    const events = endRound(b, fixedDice([1, 1, 6, 6]));
    assert.deepEqual([b.ships.p1!.initiative, b.ships.n1!.initiative, b.order.join()], [2 + 4, 12 + 1 + 1, "n1,p1"]);
    assert.deepEqual(events.filter((e) => e.action === "initiative").map((e) => labelled(e, "pilot")), [4, 1]);
  });

  it("logs the captain's bonus round and the return to the battle's initiative", () => {
    const b = start(battle([trader, corsair]), [5, 4, 2, 3]); // p1 9, n1 6
    must(act(b, { type: "coordinate", shipId: "p1", mode: "initiative" }, fixedDice([5, 5]))); // 10+1: Effect 3
    const bonus = endRound(b).filter((e) => e.action === "initiative");
    assert.deepEqual(bonus.map((e) => [e.actor, e.total, e.dice.length, labelled(e, "captain")]), [["p1", 12, 0, 3]]);
    const back = endRound(b).filter((e) => e.action === "initiative");
    assert.deepEqual(back.map((e) => [e.actor, e.total, e.result]), [["p1", 9, "Initiative back to 9: 3 reactions"]]);
  });
});

describe("CE dodge (SRD: a Pilot check, -2 to the attack on success)", () => {
  it("spends the dodge on a failed Pilot check: the attack gets no -2, and neither does the next", () => {
    const b = start(battle([trader, corsair]), [1, 1, 6, 6]);
    must(act(b, { type: "evade", shipId: "p1", mode: "dodge" }, fixedDice([])));
    const r = must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([3, 3, 1, 1, 1, 1, 1, 1]))); // 6+1 = 7 fails
    assert.deepEqual(r.events.map((e) => [e.action, e.total, labelled(e, "target dodges") ?? null]),
      [["dodgeCheck", 7, null], ["fire", 3, null], ["fire", 3, null], ["fire", 3, null]]);
    assert.equal(b.ships.p1!.dodgeReady, false);
  });

  it("checks the dodge against an arriving missile too, before its attack roll", () => {
    const b = start(battle([trader, corvette("npc")]), [1, 1, 6, 6]);
    must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, fixedDice([])));
    endRound(b);
    must(act(b, { type: "evade", shipId: "p1", mode: "dodge" }, fixedDice([])));
    // dodge 4+4+1 = 9: m1 rolls 5+5-2 = 8, a hit (1D6 1 - 2 armour: nothing); m2, m3 roll 2
    const events = endRound(b, fixedDice([4, 4, 5, 5, 1, 1, 1, 1, 1]));
    const seen = events.filter((e) => e.action === "dodgeCheck" || e.action === "missileArrives");
    assert.deepEqual(seen.map((e) => [e.action, e.total, labelled(e, "target dodges") ?? null]),
      [["dodgeCheck", 9, null], ["missileArrives", 8, -2], ["missileArrives", 2, null], ["missileArrives", 2, null]]);
  });

  it("keeps the 2e style's automatic dodge (no check)", () => {
    const b = start(battle([trader, corsair], { ruleset: "mgt2e", range: "short" }), [1, 1, 6, 6]);
    must(act(b, { type: "evade", shipId: "p1", mode: "dodge" }, fixedDice([])));
    const r = must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([1, 1, 1, 1, 1, 1])));
    assert.deepEqual(r.events.map((e) => e.action), ["fire", "fire", "fire"]);
    assert.equal(labelled(r.events[0]!, "target dodges"), -2);
  });
});

describe("CE sandcaster (SRD Fire Sand: a Turret Weapons roll first)", () => {
  it("takes nothing off when the sand gunner's roll fails, and still spends the reaction's canister", () => {
    const b = start(battle([trader, { side: "npc", name: "Wasp", className: "fighter" }], { range: "short" }), [1, 1, 6, 6]);
    must(act(b, { type: "useSandcaster", shipId: "p1", turretId: "t2" }, fixedDice([])));
    // attack 12 hits; sand 2+2+1 = 5 misses; 2D6 6 - 2 armour = 4: one single hit (location 8: hull)
    const r = must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([6, 6, 2, 2, 3, 3, 4, 4])));
    assert.match(r.events.find((e) => e.action === "fire")!.result, /6 damage \(sand missed\) − 2 armour → one single hit: hull −1/);
    assert.deepEqual([b.ships.p1!.hull, b.ships.p1!.turrets[1]!.sand], [3, 19]);
  });
});

describe("CE sensor lock (SRD: +1, +2 on an exceptional success, this round only)", () => {
  const lockedRound = (houseRules?: HouseRules) => {
    const b = start(battle([{ ...trader, skills: { sensors: 2 } }, corsair], { houseRules }), [6, 6, 1, 1]);
    must(act(b, { type: "sensorLock", shipId: "p1", targetId: "n1" }, fixedDice([6, 6]))); // Effect 6
    const fire = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([1, 1, 1, 1])));
    return { b, fire };
  };
  it("gives +2 to this ship's attacks after an exceptional success", () => {
    const { fire } = lockedRound();
    assert.deepEqual(fire.events.map((e) => labelled(e, "sensor lock")), [2, 2]);
  });
  it("ends at the end of the round: next round's attacks get nothing", () => {
    const { b } = lockedRound();
    endRound(b);
    assert.deepEqual([b.ships.p1!.lockedOn, b.ships.p1!.lockDM], [[], {}]);
    const fire = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([1, 1, 1, 1])));
    assert.deepEqual(fire.events.map((e) => labelled(e, "sensor lock") ?? null), [null, null]);
  });
  it("lasts the battle, +2 included, under the house rule persistentSensorLock", () => {
    const { b } = lockedRound({ persistentSensorLock: true });
    endRound(b);
    endRound(b);
    const fire = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([1, 1, 1, 1])));
    assert.deepEqual(fire.events.map((e) => labelled(e, "sensor lock")), [2, 2]);
  });
  it("keeps the better DM when the sensors lock the same target again", () => {
    const { b } = lockedRound({ persistentSensorLock: true });
    endRound(b);
    must(act(b, { type: "sensorLock", shipId: "p1", targetId: "n1" }, fixedDice([4, 2]))); // Effect 0: +1
    assert.equal(b.ships.p1!.lockDM.n1, 2);
  });
});

describe("house rules as battle options", () => {
  it("keeps only the house rules switched on, so a battle without any has no houseRules at all", () => {
    assert.equal("houseRules" in createBattle(battle([trader, corsair])), false);
    assert.equal("houseRules" in createBattle(battle([trader, corsair], { houseRules: { rerollInitiative: false } })), false);
    assert.deepEqual(createBattle(battle([trader, corsair], { houseRules: { rerollInitiative: true, persistentSensorLock: false } })).houseRules, { rerollInitiative: true });
  });
  it("names the house rules in play in the log entry that starts the battle", () => {
    const on = createBattle(battle([trader, corsair], { houseRules: { persistentSensorLock: true, rerollInitiative: true } }));
    const r = must(apply(on, GM, { type: "start" }, fixedDice([1, 1, 2, 2])));
    assert.equal(r.events[0]!.result, "Battle starts (house rules: rerollInitiative, persistentSensorLock)");
    const off = createBattle(battle([trader, corsair]));
    assert.equal(must(apply(off, GM, { type: "start" }, fixedDice([1, 1, 2, 2]))).events[0]!.result, "Battle starts");
  });
  it("replays a battle with house rules bit for bit from setup, seed and commands", () => {
    const setup = battle([trader, corvette("players"), corsair, corvette("npc")], { houseRules: { rerollInitiative: true, persistentSensorLock: true } });
    const b = createBattle(setup);
    const dice = createDice(99);
    const log: ReplayStep[] = [];
    const run = (cmd: Command) => {
      const actor = "shipId" in cmd ? actorFor(b, cmd.shipId) : GM;
      if (apply(b, actor, cmd, dice).ok) log.push({ actor, cmd });
    };
    run({ type: "start" });
    for (let i = 0; i < 60 && b.phase === "combat"; i++) {
      const id = activeShipId(b)!;
      const enemy = Object.values(b.ships).find((s) => s.side !== b.ships[id]!.side && !s.destroyed && !s.escaped)!;
      run({ type: "sensorLock", shipId: id, targetId: enemy.id });
      for (const t of b.ships[id]!.turrets) run(t.weapon === "missileRack" ? { type: "launchMissile", shipId: id, turretId: t.id, targetId: enemy.id, missile: "smart" } : { type: "fire", shipId: id, turretId: t.id, targetId: enemy.id });
      run({ type: "endTurn", shipId: id });
    }
    assert.ok(b.round >= 5);
    assert.equal(JSON.stringify(replay(setup, 99, log)), JSON.stringify(b));
  });
});

describe("statistics over fixed seeds", () => {
  // Each check plays the same seeds every run, so its figures are fixed; the bounds say what the
  // SRD's odds are and leave room for the sample's spread (about 4 standard errors).
  it("CE initiative is 2D6 with no Pilot: a mean of 7 over 2,000 battles, in 2..12, unchanged in round 2", () => {
    const totals: number[] = [];
    for (let seed = 1; seed <= 1000; seed++) {
      const b = createBattle(battle([{ ...trader, skills: { pilot: 3 } }, { side: "npc", name: "Twin", className: "freeTrader", skills: { pilot: 3 } }]));
      const dice = createDice(seed);
      must(apply(b, GM, { type: "start" }, dice));
      const first = [b.ships.p1!.initiative, b.ships.n1!.initiative];
      totals.push(...first);
      endRound(b, dice);
      assert.deepEqual([b.ships.p1!.initiative, b.ships.n1!.initiative], first);
    }
    const mean = totals.reduce((a, v) => a + v, 0) / totals.length;
    assert.ok(Math.abs(mean - 7) < 0.22, `mean ${mean}`); // sd of 2D6 2.42, se 0.054
    assert.ok(totals.every((t) => t >= 2 && t <= 12));
  });

  it("a CE smart missile's first attack hits 15/36 of the time even from a locked-on, skilled gunner", () => {
    let hits = 0;
    let attacks = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const b = createBattle(battle([corvette("players", { gunnery: 4, sensors: 4 }), corsair]));
      const dice = createDice(seed);
      must(apply(b, GM, { type: "start" }, dice));
      if (activeShipId(b) === "n1") must(act(b, { type: "endTurn", shipId: "n1" }, dice));
      must(act(b, { type: "sensorLock", shipId: "p1", targetId: "n1" }, dice));
      must(act(b, { type: "launchMissile", shipId: "p1", turretId: "t1", targetId: "n1", missile: "smart" }, dice));
      must(act(b, { type: "launchMissile", shipId: "p1", turretId: "t2", targetId: "n1", missile: "smart" }, dice));
      const launched = b.round;
      const events = [...endRound(b, dice), ...endRound(b, dice)];
      for (const e of events) {
        if (e.action !== "missileArrives" || e.round !== launched + 1) continue;
        attacks++;
        if (/ hits /.test(e.result)) hits++;
      }
    }
    assert.equal(attacks, 400 * 6);
    const rate = hits / attacks;
    assert.ok(Math.abs(rate - 15 / 36) < 0.04, `first-attack hit rate ${rate.toFixed(3)}`); // se 0.010
  });

  it("a CE dodge with Pilot 0 works 15/36 of the time", () => {
    let dodged = 0;
    const n = 1500;
    for (let seed = 1; seed <= n; seed++) {
      const b = createBattle(battle([{ ...trader, skills: { pilot: 0 } }, corsair]));
      const dice = createDice(seed);
      must(apply(b, GM, { type: "start" }, dice));
      if (activeShipId(b) === "p1") must(act(b, { type: "endTurn", shipId: "p1" }, dice));
      must(act(b, { type: "evade", shipId: "p1", mode: "dodge" }, dice));
      const r = must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, dice));
      if (r.events.find((e) => e.action === "fire")!.modifiers.some((m) => m.label === "target dodges")) dodged++;
    }
    assert.ok(Math.abs(dodged / n - 15 / 36) < 0.06, `dodge rate ${(dodged / n).toFixed(3)}`); // se 0.013
  });
});
