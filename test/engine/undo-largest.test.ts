// The undo rebuilds from the command log (src/engine/history.ts): on the largest battle the limits
// allow, after many rounds with earlier undos in the log, the battle an undo leaves is the one the
// replay of the whole log gives, and the one the table saw before the undone command.
import assert from "node:assert/strict";
import { activeShipId, replayWithDice } from "../../src/engine";
import type { BattleSetup } from "../../src/engine/types";
import type { Battle } from "../../src/rules/model";
import { largestBattleOptions } from "../../harness/largest-battle";
import { CommandTape } from "../../src/battle/command-tape";
import { crew, GM, liveTable, type CommandLog } from "./helpers";

const plain = (b: Battle) => JSON.parse(JSON.stringify(b)) as Battle;
/** What an undo moves forward rather than back (docs/rules.md): compared apart. */
const rewound = (b: Battle) => {
  const { logSeq: _s, version: _v, nextId: _n, ...rest } = plain(b);
  return rest;
};

/** The largest battle, played as a table does it: every accepted command in the log the history reads. */
function largestTable(seed: number, commands: CommandLog) {
  const o = largestBattleOptions();
  const setup: BattleSetup = { ruleset: "ce", startingRange: "medium", ships: o.ships as BattleSetup["ships"] };
  const { battle, dice, history, log, send } = liveTable(setup, seed, commands);
  /** One turn of the active ship: lock, fire, launch a smart missile, end the turn if it has not passed. */
  const turn = () => {
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    const actor = ship.side === "npc" ? GM : crew(id);
    const enemies = Object.values(battle.ships).filter((s) => s.side !== ship.side && !s.destroyed && !s.escaped).map((s) => s.id);
    const targetId = enemies[(battle.round * 3 + Number(id.slice(1))) % enemies.length]!;
    const stamp = `${battle.round}:${battle.turnIndex}`;
    send(actor, { type: "sensorLock", shipId: id, targetId });
    send(actor, { type: "fire", shipId: id, turretId: "t1", targetId });
    send(actor, { type: "launchMissile", shipId: id, turretId: "t2", targetId, missile: "smart" });
    if (`${battle.round}:${battle.turnIndex}` === stamp) assert.ok(send(actor, { type: "endTurn", shipId: id }).ok, "the turn ends");
  };
  return { setup, battle, dice, log, history, send, turn };
}

/** The log as a plain list, whatever holds it. */
const steps = (log: CommandLog) => Array.from({ length: log.length }, (_, i) => log.at(i)!);

// The host keeps its log packed (src/battle/command-tape.ts): the undo must read it the same.
const LOGS: [string, () => CommandLog][] = [["an array", () => []], ["the host's packed command tape", () => new CommandTape()]];

for (const [held, newLog] of LOGS) describe(`the undo, rebuilt from the command log held in ${held}`, () => {
  it("an undo on the largest battle after many rounds rebuilds the same battle the replay of the log gives", function () {
    this.timeout(60_000);
    const seed = 1414;
    const t = largestTable(seed, newLog());
    assert.ok(t.send(GM, { type: "start" }).ok);
    // Ten rounds, with an undo (and the command sent again) every few turns, so the log holds undos.
    let turns = 0;
    while (t.battle.round <= 10 && t.battle.phase === "combat") {
      t.turn();
      if (++turns % 7 === 0) assert.ok(t.send(GM, { type: "undo" }).ok, "an undo mid-battle");
    }
    assert.equal(t.battle.phase, "combat");
    assert.ok(steps(t.log).filter((s) => s.cmd.type === "undo").length >= 10, "undos in the log");

    // The last command, undone: the battle the table saw before it (but for what only moves forward).
    const before = rewound(t.battle);
    const id = activeShipId(t.battle)!;
    const targetId = Object.values(t.battle.ships).find((s) => s.side !== t.battle.ships[id]!.side)!.id;
    const actor = t.battle.ships[id]!.side === "npc" ? GM : crew(id);
    assert.ok(t.send(actor, { type: "fire", shipId: id, turretId: "t1", targetId }).ok, "a shot");
    const diceAfterShot = t.dice.getState();
    const undo = t.send(GM, { type: "undo" });
    assert.ok(undo.ok, "the undo");
    assert.deepEqual(rewound(t.battle), before, "the battle before the shot, back");
    assert.deepEqual(t.dice.getState(), diceAfterShot, "the live dice are not rewound");

    // The replay of the whole log, undos included, gives the same battle and the same dice.
    const replayed = replayWithDice(t.setup, seed, steps(t.log));
    assert.deepEqual(plain(replayed.battle), plain(t.battle), "replay of the log = live battle");
    assert.deepEqual(replayed.dice.getState(), t.dice.getState(), "replay's dice = live dice");
  });
});
