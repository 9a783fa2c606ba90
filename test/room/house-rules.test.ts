import assert from "node:assert/strict";
import { gmAndPlayer, refusedJoin, twoShipOptions } from "../../harness/battles";
import { createOptionsSchema, turnStamp, unpackModifiers } from "../../src/commands";
import { replay } from "../../src/engine";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";

describe("house rules in the create options", () => {
  const parse = (houseRules: unknown) => createOptionsSchema.safeParse(twoShipOptions({ houseRules }));
  const rows: [string, unknown, boolean][] = [
    ["no house rules (the SRD)", undefined, true],
    ["an empty set", {}, true],
    ["rerollInitiative", { rerollInitiative: true }, true],
    ["persistentSensorLock switched off", { persistentSensorLock: false }, true],
    ["both", { rerollInitiative: true, persistentSensorLock: true }, true],
    ["an unknown house rule", { autoDodge: true }, false],
    ["a non-boolean value", { rerollInitiative: "yes" }, false],
    ["a list instead of an object", ["rerollInitiative"], false],
    ["a prototype-pollution key", JSON.parse('{"__proto__":{"polluted":true}}'), false],
  ];
  for (const [what, value, ok] of rows) {
    it(`${ok ? "accepts" : "refuses"} ${what}`, () => assert.equal(parse(value).success, ok));
  }
  it("leaves every house rule off when none is given", () => {
    const r = createOptionsSchema.parse(twoShipOptions());
    assert.equal(r.houseRules, undefined);
  });
});

describe("a battle created with a house rule", function () {
  this.timeout(30_000);
  const server = useServer();

  it("plays it (initiative re-rolled each round with Pilot) and keeps it in the replay record", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server(), { houseRules: { rerollInitiative: true }, turnTimeoutSec: 600 });
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    assert.deepEqual(room.engineState().houseRules, { rerollInitiative: true });
    assert.equal((await gm.command("gm:start")).kind, "ack");
    for (let turn = 0; turn < 2; turn++) {
      const s = room.engineState();
      const v = turnStamp(s);
      const id = s.order[s.turnIndex];
      const reply = id === "p1" ? await player.command("space:endTurn", { v }) : await gm.command("gm:act", { shipId: id, v, command: { type: "endTurn" } });
      assert.equal(reply.kind, "ack", JSON.stringify(reply));
    }
    const battle = room.engineState();
    assert.equal(battle.round, 2);
    await gm.until((s) => s.version === battle.version && gm.log.some((e) => e.action === "initiative" && e.round === 2), 5000, "the GM's state and log");
    const rolls = gm.log.filter((e) => e.action === "initiative" && e.round === 2);
    assert.equal(rolls.length, 2, "both ships rolled again in round 2");
    assert.ok(rolls.every((e) => unpackModifiers(e.modifiers).some((m) => m.label === "pilot")));
    const record = room.replayRecord();
    assert.deepEqual(record.setup.houseRules, { rerollInitiative: true });
    assert.equal(JSON.stringify(replay(record.setup, record.seed, record.commands)), JSON.stringify(battle));
    await Promise.all([gm, player].map((c) => c.leave()));
  });

  it("refuses to create a battle with an unknown house rule", async () => {
    const message = await refusedJoin(server().sdk().create("battle", twoShipOptions({ houseRules: { autoDodge: true } })));
    assert.match(message, /invalid battle options: houseRules: Unrecognized key: "autoDodge"/);
  });
});
