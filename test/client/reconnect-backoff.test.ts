// Finding a battle again after its connection is gone: waits that grow instead of 3–4 polls a
// second, a countdown the banner can show, and wording that says whose network is down.
import assert from "node:assert/strict";
import { rejoinBattle } from "../../client/relocate";
import { relocatingText } from "../../client/battle-view";

describe("rejoining a battle after the connection is gone", () => {
  it("backs off: each wait doubles up to the bound, and each attempt says how long until the next", async () => {
    const waits: number[] = [];
    const at: number[] = [];
    const started = Date.now();
    await assert.rejects(rejoinBattle({
      roomId: "r1", key: "k", role: "player", deadlineMs: 700, intervalMs: 20, maxIntervalMs: 160,
      where: async () => ({ found: false }),
      join: async () => { throw new Error("never"); },
      onAttempt: (_attempt, nextInMs) => { waits.push(nextInMs); at.push(Date.now() - started); },
    }), /did not come back/);
    assert.deepEqual(waits.slice(0, 5), [20, 40, 80, 160, 160]);
    // At a fixed 20 ms the 700 ms would have taken about 35 attempts; backing off takes a handful.
    assert.ok(waits.length <= 8, `${waits.length} attempts`);
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= waits[i - 1]! - 5, `attempt ${i + 1} waited its turn`);
    // The countdown shown is the real wait: never past the deadline, where the last wait is cut short.
    for (let i = 0; i < at.length; i++) assert.ok(at[i]! + waits[i]! <= 700 + 5, `attempt ${i + 1} announced a try after the deadline`);
  });

  it("tells an offline player it is their network, and counts down to the next try", () => {
    const now = 1_000_000;
    assert.match(relocatingText({ attempt: 3, retryAt: now + 4_200, offline: true }, now), /^You are offline.*next try in 5 s \(attempt 3\)/);
    assert.match(relocatingText({ attempt: 3, retryAt: now + 4_200, offline: false }, now), /server is restarting.*next try in 5 s/);
    assert.match(relocatingText({ attempt: 4, retryAt: now - 10, offline: false }, now), /trying now/);
  });
});
