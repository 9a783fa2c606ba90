// The load bots plan every shot with harness/legal-view.ts instead of `legalBattleOf` (cheaper:
// no generic toJSON of every ship). It must be the same data, or a bot could send a command the
// server refuses: compared here on the state a client reflects from the wire, as each seat sees it.
import assert from "node:assert/strict";
import { Decoder, Encoder, Reflection, StateView } from "@colyseus/schema";
import { activeShipId, apply, createBattle } from "../../src/engine";
import { legalBattleOf, type DecodedBattle } from "../../src/commands";
import { whyNot } from "../../src/engine/legal";
import type { ShipCommand } from "../../src/engine/types";
import { SeededDice } from "../../src/rules/dice";
import { ROLES, SYSTEM_NAMES, type Battle } from "../../src/rules/model";
import { BattleState, DETAIL } from "../../schema/BattleState";
import { syncBattle } from "../../schema/sync";
import { volley } from "../../harness/volley";
import { legalViewOf } from "../../harness/legal-view";
import { actorFor, GM, must, setup2v2 } from "../engine/helpers";
import type { BattleSetup } from "../../src/engine/types";

/** The engine tests' 2 v 2 and the load runs' patrol corvette (missile racks with smart missiles). */
function setup(): BattleSetup {
  const base = setup2v2();
  return { ...base, ships: [...base.ships, { side: "players", name: "Vigilant", className: "patrolCorvette" }] };
}

/** A battle played `turns` turns by scripted crews, with systems and turrets knocked out on the way. */
function played(seed: number, turns: number): Battle {
  const dice = new SeededDice([seed, 5, 8, 13]);
  const battle = createBattle(setup());
  // no ship class carries standard missiles: give one rack some, so that field is compared too
  battle.ships.p3!.turrets.find((t) => t.weapon === "missileRack")!.missiles = 6;
  must(apply(battle, GM, { type: "start" }, dice));
  for (let i = 0; i < turns && battle.phase === "combat"; i++) {
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    if (i % 4 === 1) ship.systems[SYSTEM_NAMES[(seed + i) % SYSTEM_NAMES.length]!] = ((seed + i) % 3 + 1) as 1 | 2 | 3;
    if (i % 5 === 2 && ship.turrets.length) ship.turrets[(seed + i) % ship.turrets.length]!.damage = ((seed + i) % 3 + 1) as 1 | 2 | 3;
    for (const shot of volley(battle, id)) must(apply(battle, actorFor(battle, id), shot, dice));
    must(apply(battle, actorFor(battle, id), { type: "endTurn", shipId: id }, dice));
  }
  // what a few turns rarely reach: a ship destroyed, one gone
  if (turns >= 6) battle.ships.n2!.destroyed = true;
  if (turns >= 14) battle.ships.p2!.escaped = true;
  return battle;
}

/** Every ship command a seat could try on ship `id` now, with every target and turret. */
function candidates(battle: Battle, id: string): ShipCommand[] {
  const targets = [...Object.keys(battle.ships), "n9"];
  const out: ShipCommand[] = [{ type: "endTurn", shipId: id }, { type: "evade", shipId: id, mode: "evasive" }, { type: "evade", shipId: id, mode: "dodge" },
    { type: "coordinate", shipId: id, mode: "pool" }, { type: "repair", shipId: id }];
  for (const s of SYSTEM_NAMES) out.push({ type: "repair", shipId: id, system: s });
  for (const t of [...battle.ships[id]!.turrets.map((t) => t.id), "t9"]) {
    out.push({ type: "pointDefense", shipId: id, turretId: t }, { type: "useSandcaster", shipId: id, turretId: t }, { type: "repair", shipId: id, turretId: t });
    for (const targetId of targets) {
      out.push({ type: "fire", shipId: id, turretId: t, targetId }, { type: "launchMissile", shipId: id, turretId: t, targetId, missile: "smart" });
    }
  }
  for (const targetId of targets) out.push({ type: "sensorLock", shipId: id, targetId }, { type: "changeRange", shipId: id, targetId, direction: "farther" });
  return out;
}

/** The state an SDK client reflects (no schema classes of ours) seeing the details of `detailOf` ships. */
function reflectedBy(battle: Battle, detailOf: string[]): DecodedBattle {
  const state = new BattleState();
  syncBattle(state, battle, activeShipId(battle) ?? "");
  const encoder = new Encoder(state);
  const view = new StateView();
  for (const id of detailOf) view.add(state.ships.get(id)!, DETAIL);
  const decoder = Reflection.decode(Reflection.encode(encoder)) as Decoder<any>;
  const buffer = new Uint8Array(256 * 1024);
  const it = { offset: 0 };
  encoder.encodeAll(it, buffer);
  decoder.decode(encoder.encodeAllView(view, it.offset, { offset: it.offset }, buffer));
  return decoder.state as DecodedBattle;
}

/** Every field of `part` (recursively; arrays of the same length) has the same value in `whole`. */
function assertWithin(part: unknown, whole: unknown, where: string): void {
  if (part === null || typeof part !== "object") { assert.equal(part, whole, where); return; }
  assert.ok(whole !== null && typeof whole === "object", `${where}: missing`);
  if (Array.isArray(part)) assert.equal(part.length, (whole as unknown[]).length, `${where}: length`);
  for (const [k, v] of Object.entries(part)) assertWithin(v, (whole as Record<string, unknown>)[k], `${where}.${k}`);
}

describe("the load bots' copy of the decoded state (harness/legal-view.ts)", () => {
  it("gives the same answer as legalBattleOf's copy to every command, for every seat, with damaged systems and turrets", function () {
    this.timeout(20_000);
    let compared = 0;
    for (const seed of [1, 2, 3, 4]) {
      for (const turns of [0, 6, 14]) {
        const battle = played(seed, turns);
        const ids = Object.keys(battle.ships);
        const seats = [...ids.filter((id) => id.startsWith("p")).map((id) => [id]), ids.filter((id) => battle.ships[id]!.side === "npc"), []];
        for (const detailOf of seats) {
          const state = reflectedBy(battle, detailOf);
          const mine = legalViewOf(state);
          const theirs = legalBattleOf(state);
          for (const id of ids) {
            // the fields the view copies are legalBattleOf's own values
            assertWithin(mine.ships[id], theirs.ships[id], id);
            assert.deepEqual(volley(mine, id), volley(theirs, id));
            for (const cmd of candidates(battle, id)) {
              assert.deepEqual(whyNot(mine, cmd, ROLES), whyNot(theirs, cmd, ROLES), `seed ${seed}, ${turns} turns, details of ${detailOf.join(",") || "none"}: ${JSON.stringify(cmd)}`);
              compared++;
            }
          }
        }
      }
    }
    assert.ok(compared > 5_000, `compared ${compared}`);
  });

  it("copies the details a seat sees and leaves out those it does not", () => {
    const battle = played(7, 3);
    const state = reflectedBy(battle, ["p1"]);
    const view = legalViewOf(state);
    assert.ok(view.ships.p1!.turrets!.length > 0 && view.ships.p1!.systems);
    assert.equal(view.ships.n1!.turrets, undefined);
    assert.equal(view.ships.n1!.systems, undefined);
  });
});
