// The host's command log, packed (src/battle/command-tape.ts): every command comes back as it was
// accepted, whatever its shape, and a full battle's log costs a fraction of what its objects did.
import assert from "node:assert/strict";
import { CommandTape } from "../../src/battle/command-tape";
import { activeShipId, applyWithHistory, createBattle, createHistory, replayLog, type ReplayStep } from "../../src/engine";
import type { Actor, BattleSetup, Command } from "../../src/engine/types";
import { createDice } from "../../src/rules/dice";
import { largestBattleOptions } from "../../harness/largest-battle";
import { volley } from "../../harness/volley";

/** The largest battle played for `rounds` rounds as a table plays it; every accepted command in `log` and in the tape. */
function play(rounds: number) {
  const setup: BattleSetup = { ruleset: "ce", startingRange: "medium", ships: largestBattleOptions().ships as BattleSetup["ships"] };
  const battle = createBattle(setup);
  const dice = createDice(2718);
  const tape = new CommandTape();
  const log: ReplayStep[] = [];
  const history = createHistory(setup, 2718, tape);
  const send = (actor: Actor, cmd: Command) => {
    if (!applyWithHistory(battle, history, actor, cmd, dice).ok) return;
    log.push({ actor, cmd });
    tape.push({ actor, cmd });
  };
  send({ kind: "gm" }, { type: "start" });
  while (battle.phase === "combat" && battle.round <= rounds) {
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    const actor: Actor = ship.side === "npc" ? { kind: "gm" } : { kind: "crew", shipId: id, roles: ["pilot", "gunner", "captain"], ...(battle.round % 2 ? { captainAboard: true } : {}) };
    for (const shot of volley(battle, id)) send(actor, shot);
    if (battle.round % 3 === 0 && battle.turnIndex === 0) send({ kind: "gm" }, { type: "undo" });
    if (activeShipId(battle) === id) send(actor, { type: "endTurn", shipId: id });
  }
  return { setup, tape, log };
}

describe("the packed command log", () => {
  it("gives back every command of the largest battle, in order, as it was accepted", function () {
    this.timeout(30_000);
    const { setup, tape, log } = play(12);
    assert.ok(log.length > 300, `a long battle (${log.length} commands)`);
    assert.ok(log.some((s) => s.cmd.type === "undo"), "undos in the log");
    assert.equal(tape.length, log.length);
    assert.deepEqual(tape.toArray(), log);
    assert.deepEqual(tape.at(-1), log.at(-1), "negative indices count from the end");
    assert.deepEqual(replayLog(setup, 2718, tape), replayLog(setup, 2718, log), "the replay reads the tape as it reads the list");
  });

  it("keeps a full battle's commands in under 100 bytes each, buffers included", function () {
    this.timeout(30_000);
    const { tape } = play(12);
    // Objects cost ≈ 175 bytes of heap a command; the bound leaves room for the buffer's doubling.
    const perCommand = tape.retainedBytes / tape.length;
    assert.ok(perCommand < 100, `${perCommand.toFixed(1)} bytes a command`);
  });

  it("decodes commands of more shapes than MessagePack records share, across tapes, in any order", () => {
    // Every tape packs with the same Packr: 700 shapes (its shared records stop at 32), two
    // battles interleaved, each command read back while others are packed, and again at the end.
    const tapes = [new CommandTape(), new CommandTape()];
    const sent: ReplayStep[][] = [[], []];
    for (let i = 0; i < 3000; i++) {
      const shape = i % 700;
      const cmd: Record<string, unknown> = { type: `t${shape}`, shipId: `s${i % 7}` };
      for (let k = 0; k < shape % 5; k++) cmd[`f${shape}_${k}`] = i * k + 0.5;
      if (i % 3 === 0) cmd.nested = { a: i, [`b${shape % 50}`]: [1, "x", null, true] };
      const actor: Actor = i % 2 ? { kind: "gm" } : { kind: "crew", shipId: "p", roles: ["pilot"] };
      const step = { actor, cmd: cmd as unknown as Command };
      const t = i % 5 === 0 ? 1 : 0;
      sent[t]!.push(step);
      tapes[t]!.push(step);
      const back = (i * 7919) % sent[t]!.length;
      assert.deepEqual(tapes[t]!.at(back), sent[t]![back], `command ${back} of tape ${t}, read after ${i}`);
    }
    tapes.forEach((tape, t) => assert.deepEqual(tape.toArray(), sent[t]));
  });

  it("answers undefined outside the tape, and a fresh copy each time inside it", () => {
    const tape = new CommandTape();
    assert.equal(tape.at(0), undefined);
    tape.push({ actor: { kind: "gm" }, cmd: { type: "start" } });
    for (const i of [1, -2, 0.5, Number.NaN]) assert.equal(tape.at(i), undefined, `index ${i}`);
    const first = tape.at(0)!;
    (first.cmd as { type: string }).type = "changed";
    assert.equal(tape.at(0)!.cmd.type, "start", "the tape is not changed through what it gave");
  });
});
