// The turn stamp (src/commands/turn-stamp.ts): what every client sends as `v`, on a real engine
// battle of the largest size the limits allow.
import assert from "node:assert/strict";
import { turnStamp, turnStampSchema } from "../../src/commands";
import { activeShipId } from "../../src/engine";
import type { BattleSetup } from "../../src/engine/types";
import { createDice } from "../../src/rules/dice";
import { MAX_SHIPS } from "../../src/data/ships";
import { act, must, started } from "../engine/helpers";

function largestSetup(): BattleSetup {
  const ships: BattleSetup["ships"] = [];
  for (let i = 0; i < MAX_SHIPS.players; i++) ships.push({ side: "players", name: `Player ${i + 1}`, className: "freeTrader" });
  for (let i = 0; i < MAX_SHIPS.npc; i++) ships.push({ side: "npc", name: `Raider ${i + 1}`, className: "corsair" });
  return { ruleset: "ce", startingRange: "long", ships };
}

describe("the turn stamp", () => {
  it("gives every turn of a largest battle its own stamp, rising turn by turn, that the `v` schema accepts", () => {
    const dice = createDice(12);
    const battle = started(largestSetup(), dice);
    assert.equal(battle.order.length, MAX_SHIPS.players + MAX_SHIPS.npc);
    const stamps = [turnStamp(battle)];
    for (let turn = 0; turn < 3 * battle.order.length; turn++) {
      must(act(battle, { type: "endTurn", shipId: activeShipId(battle)! }, dice));
      stamps.push(turnStamp(battle));
    }
    assert.equal(battle.round, 4, "three full rounds were played");
    for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i]! > stamps[i - 1]!, `turn ${i} stamps above turn ${i - 1}: ${stamps.join(",")}`);
    for (const v of stamps) assert.equal(turnStampSchema.safeParse(v).success, true, `stamp ${v}`);
  });

  it("is round * 256 + turnIndex, the number the wire protocol has always carried as `v`", () => {
    assert.equal(turnStamp({ round: 0, turnIndex: 0 }), 0);
    assert.equal(turnStamp({ round: 1, turnIndex: 0 }), 256);
    assert.equal(turnStamp({ round: 3, turnIndex: 14 }), 3 * 256 + 14);
  });

  it("is not the state's version, which counts every accepted command", () => {
    const dice = createDice(3);
    const battle = started(largestSetup(), dice);
    must(act(battle, { type: "endTurn", shipId: activeShipId(battle)! }, dice));
    assert.notEqual(battle.version, turnStamp(battle));
  });
});
