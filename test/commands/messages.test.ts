// The client message schemas (src/commands) on their own, without a room.
import assert from "node:assert/strict";
import { GM_MESSAGES, LIMITS, SHIP_MESSAGES, gmActMsg, repairMsg, shipCommandForGm } from "../../src/commands";

describe("client message schemas", () => {
  it("let the GM send, inside gm:act, exactly the ship commands a crew sends as space:*", () => {
    const crewTypes = Object.keys(SHIP_MESSAGES).map((name) => name.replace(/^space:/, "")).sort();
    const gmTypes = shipCommandForGm.options.map((o) => o.shape.type.value as string).sort();
    assert.deepEqual(gmTypes, crewTypes);
  });

  it(`require a command id of 1 to ${LIMITS.commandId} letters, digits and _ . : - on every ship and GM command`, () => {
    for (const [name, schema] of Object.entries({ ...SHIP_MESSAGES, ...GM_MESSAGES })) {
      for (const cid of [undefined, "", "a b", "a/b", "é", "x".repeat(LIMITS.commandId + 1)]) {
        const parsed = schema.safeParse({ cid });
        assert.equal(parsed.success, false, `${name} with cid ${JSON.stringify(cid)}`);
        assert.ok(parsed.error!.issues.some((i) => i.path[0] === "cid"), `${name}: the cid is named as the problem`);
      }
    }
    assert.equal(SHIP_MESSAGES["space:endTurn"].safeParse({ cid: "A-z_0.9:x" }).success, true);
    assert.equal(SHIP_MESSAGES["space:endTurn"].safeParse({ cid: "x".repeat(LIMITS.commandId) }).success, true);
  });

  it("accept a repair naming a system or a turret, and refuse one naming both or neither", () => {
    assert.equal(repairMsg.safeParse({ cid: "r1", system: "fuel" }).success, true);
    assert.equal(repairMsg.safeParse({ cid: "r1", turretId: "t1" }).success, true);
    assert.equal(repairMsg.safeParse({ cid: "r1", system: "fuel", turretId: "t1" }).success, false);
    assert.equal(repairMsg.safeParse({ cid: "r1" }).success, false);
  });

  it("refuse a gm:act whose inner command carries fields of another command", () => {
    const ok = { cid: "g1", shipId: "n1", command: { type: "fire", turretId: "t1", targetId: "p1" } };
    assert.equal(gmActMsg.safeParse(ok).success, true);
    assert.equal(gmActMsg.safeParse({ ...ok, command: { ...ok.command, mode: "dodge" } }).success, false);
    assert.equal(gmActMsg.safeParse({ ...ok, command: { type: "selfDestruct" } }).success, false);
  });
});
