// The engine -> wire state sync, encoded and decoded as a client would, without a server: what
// each kind of client decodes after a first full state and after patches.
import assert from "node:assert/strict";
import { Decoder, Encoder, StateView } from "@colyseus/schema";
import { activeShipId, apply, createBattle } from "../../src/engine";
import { SeededDice } from "../../src/rules/dice";
import type { Battle, MissileInFlight } from "../../src/rules/model";
import { BattleState, DETAIL, type ShipState } from "../../schema/BattleState";
import { syncBattle } from "../../schema/sync";
import { actorFor, GM, must, setup2v2 } from "../engine/helpers";

/** The active ship fires its first turret at the first living enemy, or ends its turn. */
function playTurns(battle: Battle, state: BattleState, dice: SeededDice, turns: number): void {
  for (let i = 0; i < turns && battle.phase === "combat"; i++) {
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    const enemy = Object.values(battle.ships).find((s) => s.side !== ship.side && !s.destroyed && !s.escaped);
    const turret = ship.turrets.find((t) => t.weapon !== "sandcaster" && t.damage === 0);
    if (enemy && turret) apply(battle, actorFor(battle, id), { type: "fire", shipId: id, turretId: turret.id, targetId: enemy.id }, dice);
    must(apply(battle, actorFor(battle, id), { type: "endTurn", shipId: id }, dice));
  }
  syncBattle(state, battle, activeShipId(battle) ?? "");
}

/** One client: its view, and the state its decoder holds. */
class Client {
  readonly decoded = new BattleState();
  private readonly decoder = new Decoder(this.decoded);
  constructor(readonly view: StateView) {}
  receive(bytes: Uint8Array): void {
    this.decoder.decode(bytes);
  }
}

/** What the room sends: a full state to a joining client, then patches to everyone. */
class Wire {
  private readonly encoder: Encoder<BattleState>;
  private readonly buffer = new Uint8Array(256 * 1024);
  constructor(state: BattleState) {
    this.encoder = new Encoder(state);
  }
  join(client: Client): void {
    const it = { offset: 0 };
    this.encoder.encodeAll(it, this.buffer);
    client.receive(this.encoder.encodeAllView(client.view, it.offset, { offset: it.offset }, this.buffer));
  }
  /** As @colyseus/core's SchemaSerializer does: the shared changes once, then each view after them. */
  patch(clients: Client[]): void {
    const it = { offset: 0 };
    this.encoder.encode(it);
    const shared = it.offset;
    for (const c of clients) c.receive(this.encoder.encodeView(c.view, shared, it));
    this.encoder.discardChanges();
  }
}

function publicShip(s: ShipState | undefined) {
  return s && { id: s.id, name: s.name, side: s.side, className: s.className, condition: s.condition, destroyed: s.destroyed, initiative: s.initiative };
}

describe("schema sync, encoded and decoded as a client would", () => {
  let battle: Battle;
  let state: BattleState;
  let dice: SeededDice;
  beforeEach(() => {
    dice = new SeededDice([11, 22, 33, 44]);
    battle = createBattle(setup2v2());
    must(apply(battle, GM, { type: "start" }, dice));
    state = new BattleState();
    syncBattle(state, battle, activeShipId(battle)!);
  });

  it("gives a joining player every ship's public fields and the order as the engine has them", () => {
    playTurns(battle, state, dice, 8);
    const wire = new Wire(state);
    const player = new Client(new StateView());
    player.view.add(state.ships.get("p1")!, DETAIL);
    wire.join(player);
    const got = player.decoded;
    assert.equal(got.round, battle.round);
    assert.equal(got.version, battle.version);
    assert.equal(got.phase, battle.phase);
    assert.deepEqual([...got.order], battle.order);
    assert.deepEqual([...got.ships.keys()].sort(), Object.keys(battle.ships).sort());
    for (const id of Object.keys(battle.ships)) assert.deepEqual(publicShip(got.ships.get(id)), publicShip(state.ships.get(id)), id);
  });

  it("shows a player the exact hull and turrets of its own ship, and of no other", () => {
    playTurns(battle, state, dice, 8);
    const wire = new Wire(state);
    const player = new Client(new StateView());
    player.view.add(state.ships.get("p1")!, DETAIL);
    wire.join(player);
    const own = player.decoded.ships.get("p1")!;
    assert.equal(own.hull, battle.ships.p1!.hull);
    assert.equal(own.maxHull, battle.ships.p1!.maxHull);
    assert.deepEqual(own.turrets.map((t) => t.weapon), battle.ships.p1!.turrets.map((t) => t.weapon));
    for (const id of ["p2", "n1", "n2"]) {
      const other = player.decoded.ships.get(id)!;
      assert.ok(!other.maxHull, `${id}: hull hidden`);
      assert.ok(!other.turrets?.length, `${id}: turrets hidden`);
    }
  });

  it("keeps a joined GM and player equal to the engine through the patches of the following turns", () => {
    const wire = new Wire(state);
    const gm = new Client(new StateView());
    for (const ship of state.ships.values()) gm.view.add(ship, DETAIL);
    const player = new Client(new StateView());
    player.view.add(state.ships.get("p1")!, DETAIL);
    wire.join(gm);
    wire.join(player);
    for (let step = 0; step < 6; step++) {
      playTurns(battle, state, dice, 2);
      wire.patch([gm, player]);
      for (const c of [gm, player]) {
        assert.equal(c.decoded.version, battle.version);
        assert.equal(c.decoded.activeShipId, activeShipId(battle) ?? "");
      }
      for (const id of Object.keys(battle.ships)) {
        assert.equal(gm.decoded.ships.get(id)!.hull, battle.ships[id]!.hull, `GM sees ${id}'s hull`);
        assert.equal(player.decoded.ships.get(id)!.condition, state.ships.get(id)!.condition, `player sees ${id}'s condition`);
      }
      assert.equal(player.decoded.ships.get("p1")!.hull, battle.ships.p1!.hull);
    }
    assert.ok(Object.values(battle.ships).some((s) => s.hull < s.maxHull), "some ship was hit, so the patches carried damage");
  });

  it("copies every changed field of a ship to the wire, even when only one ship of many changed", () => {
    const wire = new Wire(state);
    const gm = new Client(new StateView());
    for (const ship of state.ships.values()) gm.view.add(ship, DETAIL);
    wire.join(gm);
    const p1 = battle.ships.p1!;
    const system = Object.keys(p1.systems)[0] as keyof typeof p1.systems;
    // One field at a time, each synced and patched alone: a field missing from the sync's
    // comparison would leave its ship unsynced.
    const changes: [string, () => void][] = [
      ["hull", () => { p1.hull -= 1; }], ["structure", () => { p1.structure -= 1; }], ["armour", () => { p1.armour += 1; }],
      ["system", () => { p1.systems[system] = 1; }], ["evasive", () => { p1.evasive = 2; }], ["initiative", () => { p1.initiative += 3; }],
      ["reactionsLeft", () => { p1.reactionsLeft += 1; }], ["dodgeReady", () => { p1.dodgeReady = !p1.dodgeReady; }],
      ["coordinationPool", () => { p1.coordinationPool += 1; }], ["lockedOn", () => { p1.lockedOn.push("n1"); }],
      ["actedThisTurn", () => { p1.actedThisTurn.push("gunner"); }], ["turret damage", () => { p1.turrets[0]!.damage += 1; }],
      ["turret ammunition", () => { p1.turrets[0]!.missiles += 1; }], ["turret used", () => { p1.turrets[0]!.usedRound += 1; }],
      // Lists that change length beside turret values: the turrets' values sit after the lists in the sync's record.
      ["a lock and a shot together", () => { p1.lockedOn.push("n2"); p1.turrets[0]!.missiles -= 1; p1.turrets.at(-1)!.usedRound += 2; }],
      ["locks and acted positions cleared with ammunition", () => { p1.lockedOn = []; p1.actedThisTurn = []; p1.turrets.at(-1)!.ready = "pointDefense"; }],
      ["name", () => { p1.name = "Renamed"; }], ["destroyed", () => { p1.destroyed = true; }],
    ];
    for (const [what, change] of changes) {
      change();
      syncBattle(state, battle, activeShipId(battle) ?? "");
      wire.patch([gm]);
      const seen = gm.decoded.ships.get("p1")!;
      assert.deepEqual({
        name: seen.name, hull: seen.hull, structure: seen.structure, armour: seen.armour, evasive: seen.evasive, initiative: seen.initiative,
        reactionsLeft: seen.reactionsLeft, dodgeReady: seen.dodgeReady, coordinationPool: seen.coordinationPool, destroyed: seen.destroyed,
        condition: seen.condition, systems: Object.fromEntries(seen.systems.entries()), lockedOn: [...seen.lockedOn], actedThisTurn: [...seen.actedThisTurn],
        turrets: seen.turrets.map((t) => [t.damage, t.missiles, t.usedRound, t.ready]),
      }, {
        name: p1.name, hull: p1.hull, structure: p1.structure, armour: p1.armour, evasive: p1.evasive, initiative: p1.initiative,
        reactionsLeft: p1.reactionsLeft, dodgeReady: p1.dodgeReady, coordinationPool: p1.coordinationPool, destroyed: p1.destroyed,
        condition: state.ships.get("p1")!.condition, systems: { ...p1.systems }, lockedOn: [...p1.lockedOn], actedThisTurn: [...p1.actedThisTurn],
        turrets: p1.turrets.map((t) => [t.damage, t.missiles, t.usedRound, t.ready]),
      }, `after a change of ${what}`);
    }
  });

  it("copies every battle-level change to the wire, one at a time: turn, order, pause, result, ranges, ships and missiles", () => {
    const wire = new Wire(state);
    const gm = new Client(new StateView());
    for (const ship of state.ships.values()) gm.view.add(ship, DETAIL);
    wire.join(gm);
    const missile = (id: string, arriveRound: number, reattacks?: number): MissileInFlight => ({
      id, kind: "smart", fromShipId: "n1", targetId: "p1", launchRound: 1, arriveRound, toHit: 8, ...(reattacks !== undefined ? { reattacks } : {}),
    });
    const firstRange = Object.keys(battle.ranges)[0]!;
    // Each change alone, then synced and patched: a field missing from the sync's comparison, or a
    // comparison that takes a change for none, leaves the client's battle behind the engine's.
    const changes: [string, () => void][] = [
      ["a turn ended", () => { const id = activeShipId(battle)!; must(apply(battle, actorFor(battle, id), { type: "endTurn", shipId: id }, dice)); }],
      ["the version alone", () => { battle.version += 1; }],
      ["paused", () => { battle.paused = true; }], ["resumed", () => { battle.paused = false; }],
      ["the round", () => { battle.round += 1; }], ["the turn index", () => { battle.turnIndex = 0; }],
      ["the order reversed", () => { battle.order = [...battle.order].reverse(); }],
      ["the order shortened", () => { battle.order = battle.order.slice(1); }],
      ["a range moved", () => { battle.ranges[firstRange] = "long"; }],
      ["a range gone", () => { delete battle.ranges[firstRange]; }],
      ["a range back", () => { battle.ranges[firstRange] = "medium"; }],
      ["a missile launched", () => { battle.missiles.push(missile("m1", 2)); }],
      ["a second missile", () => { battle.missiles.push(missile("m2", 3)); }],
      ["a missile's arrival moved", () => { battle.missiles[0]!.arriveRound = 4; }],
      ["a missile re-attacking", () => { battle.missiles[0]!.reattacks = 1; }],
      ["a missile gone and another launched, as many in flight", () => { battle.missiles = [battle.missiles[0]!, missile("m3", 5)]; }],
      ["every missile gone", () => { battle.missiles = []; }],
      ["a ship gone", () => { delete battle.ships.n2; }],
      ["a ship gone and another added, as many ships", () => { battle.ships.n3 = { ...battle.ships.n1!, id: "n3", name: "Hornet" }; delete battle.ships.n1; }],
      ["the result", () => { battle.phase = "ended"; battle.result = { winner: "players", reason: "destroyed" }; }],
    ];
    for (const [what, change] of changes) {
      change();
      syncBattle(state, battle, activeShipId(battle) ?? "");
      wire.patch([gm]);
      const seen = gm.decoded;
      assert.deepEqual({
        phase: seen.phase, round: seen.round, turnIndex: seen.turnIndex, activeShipId: seen.activeShipId, version: seen.version, paused: seen.paused,
        order: [...seen.order], ranges: Object.fromEntries(seen.ranges.entries()), ships: [...seen.ships.keys()].sort(),
        missiles: [...seen.missiles.values()].map((m) => [m.id, m.kind, m.fromShipId, m.targetId, m.launchRound, m.arriveRound, m.reattacks]).sort(),
        result: [seen.result.winner, seen.result.reason],
      }, {
        phase: battle.phase, round: battle.round, turnIndex: battle.turnIndex, activeShipId: activeShipId(battle) ?? "", version: battle.version,
        paused: battle.paused === true, order: battle.order, ranges: { ...battle.ranges }, ships: Object.keys(battle.ships).sort(),
        missiles: battle.missiles.map((m) => [m.id, m.kind, m.fromShipId, m.targetId, m.launchRound, m.arriveRound, m.reattacks ?? 0]).sort(),
        result: [battle.result?.winner ?? "", battle.result?.reason ?? ""],
      }, `after ${what}`);
    }
  });
});
