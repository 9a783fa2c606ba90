// Which ships' details each seat may see: a pure function of the battle.
import { strict as assert } from "node:assert";
import { createBattle, detailedShips, lockedByPlayers } from "../../src/engine";
import { setup2v2 } from "./helpers";

describe("visibility: which ships each seat sees in detail", () => {
  const ids = (set: Set<string>) => [...set].sort();

  it("shows the GM every ship, a player its own fleet (every players' ship, allies too) and no NPC ship, and a spectator none", () => {
    const b = createBattle(setup2v2());
    const [p1, p2, n1] = Object.keys(b.ships);
    assert.deepEqual(ids(detailedShips(b, { role: "gm", shipId: "" })), Object.keys(b.ships).sort());
    assert.deepEqual(ids(detailedShips(b, { role: "player", shipId: p1! })), [p1, p2].sort());
    assert.deepEqual(ids(detailedShips(b, { role: "spectator", shipId: "" })), []);
    assert.ok(!detailedShips(b, { role: "player", shipId: p1! }).has(n1!));
  });

  it("shows every player the NPC ships that a living player ship holds a sensor lock on", () => {
    const b = createBattle(setup2v2());
    const [p1, p2, n1, n2] = Object.keys(b.ships) as [string, string, string, string];
    b.ships[p1]!.lockedOn.push(n1);
    assert.deepEqual(ids(lockedByPlayers(b)), [n1]);
    assert.deepEqual(ids(detailedShips(b, { role: "player", shipId: p2 })), [n1, p1, p2].sort());
    assert.ok(!detailedShips(b, { role: "player", shipId: p2 }).has(n2));
  });

  it("forgets the lock of a destroyed player ship", () => {
    const b = createBattle(setup2v2());
    const [p1, p2, n1] = Object.keys(b.ships) as [string, string, string];
    b.ships[p1]!.lockedOn.push(n1);
    b.ships[p1]!.destroyed = true;
    assert.deepEqual(ids(detailedShips(b, { role: "player", shipId: p2 })), [p1, p2].sort());
  });

  it("does not count a lock held by an NPC ship", () => {
    const b = createBattle(setup2v2());
    const [p1, p2, n1] = Object.keys(b.ships) as [string, string, string];
    b.ships[n1]!.lockedOn.push(p2);
    assert.deepEqual(ids(detailedShips(b, { role: "player", shipId: p1 })), [p1, p2].sort());
  });
});
