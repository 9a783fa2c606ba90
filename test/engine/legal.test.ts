// The shared precondition module: the engine refuses with it, the web client explains its
// buttons with it and the scripted crews choose their shots with it. These tests pin that the
// three give one answer, on the engine's battle and on the state a client decodes.
import assert from "node:assert/strict";
import { Decoder, Encoder, StateView } from "@colyseus/schema";
import { activeShipId, apply, createBattle } from "../../src/engine";
import { whyNot, type LegalBattle } from "../../src/engine/legal";
import type { Actor, ShipCommand } from "../../src/engine/types";
import { legalBattleOf } from "../../src/commands";
import { SeededDice } from "../../src/rules/dice";
import { ROLES, SYSTEM_NAMES, type Battle, type Role } from "../../src/rules/model";
import { BattleState, DETAIL } from "../../schema/BattleState";
import { syncBattle } from "../../schema/sync";
import { volley } from "../../harness/volley";
import { actorFor, GM, must, setup2v2 } from "./helpers";

/** Every ship command a seat could try on ship `id` now, with every target and turret. */
function candidates(battle: Battle, id: string): ShipCommand[] {
  const ship = battle.ships[id]!;
  const targets = [...Object.keys(battle.ships), "n9"];
  const out: ShipCommand[] = [{ type: "endTurn", shipId: id }, { type: "evade", shipId: id, mode: "evasive" }, { type: "evade", shipId: id, mode: "dodge" },
    { type: "coordinate", shipId: id, mode: "initiative" }, { type: "coordinate", shipId: id, mode: "pool" }, { type: "repair", shipId: id }];
  for (const s of SYSTEM_NAMES) out.push({ type: "repair", shipId: id, system: s });
  for (const t of [...ship.turrets.map((t) => t.id), "t9"]) {
    out.push({ type: "pointDefense", shipId: id, turretId: t }, { type: "useSandcaster", shipId: id, turretId: t }, { type: "repair", shipId: id, turretId: t });
    for (const target of targets) {
      out.push({ type: "fire", shipId: id, turretId: t, targetId: target },
        { type: "launchMissile", shipId: id, turretId: t, targetId: target, missile: "standard" },
        { type: "launchMissile", shipId: id, turretId: t, targetId: target, missile: "smart" });
    }
  }
  for (const target of targets) {
    out.push({ type: "sensorLock", shipId: id, targetId: target },
      { type: "changeRange", shipId: id, targetId: target, direction: "closer" }, { type: "changeRange", shipId: id, targetId: target, direction: "farther" });
  }
  return out;
}

/** The state a player seated on `shipId` decodes: every public field plus its own ship's details. */
function decodedBy(battle: Battle, shipId: string): BattleState {
  const state = new BattleState();
  syncBattle(state, battle, activeShipId(battle) ?? "");
  const encoder = new Encoder(state); // before the view: a view tracks what an encoder has attached
  const view = new StateView();
  view.add(state.ships.get(shipId)!, DETAIL);
  const buffer = new Uint8Array(256 * 1024);
  const it = { offset: 0 };
  encoder.encodeAll(it, buffer);
  const decoded = new BattleState();
  new Decoder(decoded).decode(encoder.encodeAllView(view, it.offset, { offset: it.offset }, buffer));
  return decoded;
}

/** A battle played `turns` turns by scripted crews, with systems and turrets knocked out on the way. */
function battered(seed: number, turns: number): { battle: Battle; dice: SeededDice } {
  const dice = new SeededDice([seed, 7, 3, 99]);
  const battle = createBattle(setup2v2());
  must(apply(battle, GM, { type: "start" }, dice));
  for (let i = 0; i < turns && battle.phase === "combat"; i++) {
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    // what the dice rarely do in a few turns: disabled systems and turrets, spent reactions
    if (i % 5 === 2) ship.systems[SYSTEM_NAMES[(seed + i) % SYSTEM_NAMES.length]!] = ((seed + i) % 3 + 1) as 1 | 2 | 3;
    if (i % 7 === 3 && ship.turrets.length) ship.turrets[(seed + i) % ship.turrets.length]!.damage = ((seed + i) % 3 + 1) as 1 | 2 | 3;
    for (const shot of volley(battle, id)) must(apply(battle, actorFor(battle, id), shot, dice));
    must(apply(battle, actorFor(battle, id), { type: "endTurn", shipId: id }, dice));
  }
  return { battle, dice };
}

const roleSets: Role[][] = [[...ROLES], ["gunner"], ["pilot", "engineer"], ["captain", "sensors"]];

describe("the shared precondition module", () => {
  it("gives the engine's own refusal, code and words, for every command a seat could try", function () {
    this.timeout(20_000);
    let compared = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { battle, dice } = battered(seed, 14);
      for (const id of Object.keys(battle.ships)) {
        for (const cmd of candidates(battle, id)) {
          for (const roles of roleSets) {
            const predicted = whyNot(battle, cmd, roles);
            const actor: Actor = battle.ships[id]!.side === "npc" ? GM : { kind: "crew", shipId: id, roles };
            if (actor.kind === "gm" && roles.length !== ROLES.length) continue;
            const copy = structuredClone(battle);
            const r = apply(copy, actor, cmd, new SeededDice(dice.getState()));
            assert.deepEqual(predicted, r.ok ? null : { code: r.code, message: r.message }, `${JSON.stringify(cmd)} as ${roles.join("+")}`);
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 3_000, `compared ${compared}`);
  });

  it("answers the same on the state a player's client decodes as on the engine's battle", function () {
    this.timeout(20_000);
    for (const seed of [11, 12, 13]) {
      const { battle } = battered(seed, 12);
      for (const id of Object.keys(battle.ships).filter((s) => s.startsWith("p"))) {
        const plain: LegalBattle = legalBattleOf(decodedBy(battle, id));
        for (const cmd of candidates(battle, id)) {
          assert.deepEqual(whyNot(plain, cmd, ROLES), whyNot(battle, cmd, ROLES), JSON.stringify(cmd));
        }
      }
    }
  });

  it("refuses fire with a dead power plant on both sides of the wire (the client's copy used to miss it)", () => {
    const { battle } = battered(21, 0);
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    ship.systems.powerPlant = 2;
    const laser = ship.turrets.find((t) => t.weapon.endsWith("Laser"))!;
    const enemy = Object.values(battle.ships).find((s) => s.side !== ship.side)!;
    const cmd: ShipCommand = { type: "fire", shipId: id, turretId: laser.id, targetId: enemy.id };
    const expected = { code: "systemDisabled", message: "the power plant is disabled" };
    assert.deepEqual(whyNot(battle, cmd, ROLES), expected);
    assert.deepEqual(whyNot(legalBattleOf(decodedBy(battle, id)), cmd, ROLES), expected);
  });

  it("gives a scripted crew only shots the engine accepts, and none from a disabled turret", () => {
    const { battle } = battered(31, 0);
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    const usable = volley(battle, id).length;
    assert.ok(usable > 0);
    ship.turrets.find((t) => t.weapon !== "sandcaster")!.damage = 2;
    assert.equal(volley(battle, id).length, usable - 1);
    ship.systems.powerPlant = 2;
    assert.ok(volley(battle, id).every((s) => s.type === "launchMissile"), "lasers and beams stay silent without power");
  });
});
