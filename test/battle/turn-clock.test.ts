// The turn and idle timers, driven by hand-run timers.
import { strict as assert } from "node:assert";
import { apply, createBattle } from "../../src/engine";
import { createDice } from "../../src/rules/dice";
import { TurnClock, type Timer } from "../../src/battle/turn-clock";
import { setup2v2 } from "../engine/helpers";

function handTimers() {
  const pending: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const clock = { at: 1000 };
  return {
    pending,
    clock,
    now: () => clock.at,
    setTimeout(fn: () => void, ms: number): Timer {
      const t = { fn, ms, cleared: false };
      pending.push(t);
      return { clear: () => { t.cleared = true; } };
    },
    live: () => pending.filter((t) => !t.cleared),
  };
}

describe("turn clock", () => {
  const started = () => {
    const b = createBattle(setup2v2());
    const r = apply(b, { kind: "gm" }, { type: "start" }, createDice(7));
    assert.ok(r.ok);
    return b;
  };

  it("gives a crewed ship turnTimeoutSec and times out exactly that turn", () => {
    const timers = handTimers();
    const timeouts: [number, number][] = [];
    const clock = new TurnClock(timers, 30_000, 300_000, (round, turn) => timeouts.push([round, turn]), () => undefined);
    const b = started();
    const crewed = new Set(Object.keys(b.ships));
    clock.afterChange(b, crewed);
    assert.equal(clock.turnEndsAt, 1000 + 30_000);
    assert.deepEqual(timers.live().map((t) => t.ms), [30_000]);
    clock.afterChange(b, crewed);
    assert.equal(timers.pending.length, 1, "the same turn does not restart its timer");
    timers.live()[0]!.fn();
    assert.deepEqual(timeouts, [[b.round, b.turnIndex]]);
  });

  it("passes the turn of a player ship nobody crews at once", () => {
    const timers = handTimers();
    const clock = new TurnClock(timers, 30_000, 300_000, () => undefined, () => undefined);
    const b = started();
    // The turn of a player ship: p1 crewed by nobody, every other ship crewed.
    b.turnIndex = b.order.indexOf("p1");
    clock.afterChange(b, new Set(Object.keys(b.ships).filter((id) => id !== "p1")));
    assert.deepEqual(timers.live().map((t) => t.ms), [0]);
    assert.equal(clock.turnEndsAt, 1000);
  });

  it("stops the turn timer outside combat and keeps one idle timer however often it is touched", () => {
    const timers = handTimers();
    let idle = 0;
    const clock = new TurnClock(timers, 30_000, 300_000, () => undefined, () => { idle++; });
    clock.afterChange(createBattle(setup2v2()), new Set());
    assert.equal(clock.turnEndsAt, 0);
    assert.equal(timers.live().length, 0);
    clock.touch();
    clock.touch();
    assert.deepEqual(timers.live().map((t) => t.ms), [300_000], "one idle timer");
    timers.clock.at += 300_000;
    timers.live()[0]!.fn();
    assert.equal(idle, 1);
  });

  it("counts the idle time from the last touch: a timer falling due earlier waits for the rest", () => {
    const timers = handTimers();
    let idle = 0;
    const clock = new TurnClock(timers, 30_000, 300_000, () => undefined, () => { idle++; });
    clock.touch();
    timers.clock.at += 200_000;
    clock.touch();
    timers.clock.at += 100_000;
    const first = timers.live()[0]!;
    first.cleared = true;
    first.fn();
    assert.equal(idle, 0, "only 100 s since the last touch");
    assert.deepEqual(timers.live().map((t) => t.ms), [200_000], "re-armed for the 200 s left");
    timers.clock.at += 200_000;
    const second = timers.live()[0]!;
    second.cleared = true;
    second.fn();
    assert.equal(idle, 1);
    clock.stop();
    assert.equal(timers.live().length, 0);
  });
});
