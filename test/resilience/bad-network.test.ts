import assert from "node:assert/strict";
import { ColyseusSDK } from "@colyseus/sdk";
import { NetSim } from "../../harness/netsim";
import { SeatClient } from "../../harness/seat-client";
import { autoPlay } from "../../harness/play";
import { assertClientMatchesServer } from "../support/compare";
import { ALL_ROLES } from "../../harness/battles";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("battles over a bad network", function () {
  this.timeout(180_000);
  const server = useServer();
  let net: NetSim;
  before(async () => {
    net = await NetSim.start({ targetPort: server().port, conditions: { latencyMs: 500, jitterMs: 50, lossPercent: 5, lossPenaltyMs: 200 }, seed: 7 });
  });
  after(async () => {
    await net.close();
  });

  it("finishes a full battle (GM + 5 players) at 500 ms latency and 5% loss, every client ending equal to the server", async () => {
    const sdk = () => new ColyseusSDK(`ws://127.0.0.1:${net.port}`);
    const ships = [
      ...[1, 2, 3, 4, 5].map((i) => ({ side: "players", name: `Lancer ${i}`, className: "patrolCorvette" })),
      ...[1, 2].map((i) => ({ side: "npc", name: `Raider ${i}`, className: "fighter" })),
      { side: "npc", name: "Picket", className: "scout" },
    ];
    const gm = new SeatClient(await sdk().create("battle", { name: "Storm", startingRange: "short", ships, turnTimeoutSec: 60 }), "gm");
    await gm.seated(10_000);
    const players: SeatClient[] = [];
    for (let i = 1; i <= 5; i++) {
      const p = new SeatClient(await sdk().joinById(gm.room.roomId, { name: `P${i}`, shipId: `p${i}`, positions: ALL_ROLES }), `p${i}`);
      await p.seated(10_000);
      players.push(p);
    }
    const stops = [autoPlay(gm, { gm: true, pipelined: true }), ...players.map((p, i) => autoPlay(p, { gm: false, shipId: `p${i + 1}`, pipelined: true }))];
    assert.equal((await gm.command("gm:start", {}, 10_000)).kind, "ack");
    await gm.until((s) => s.phase === "ended", 150_000, "the battle to end");
    stops.forEach((s) => s());

    const battle = (server().colyseus.getRoomById(gm.room.roomId) as unknown as BattleRoom).engineState();
    assert.equal(battle.phase, "ended");
    assert.ok(net.stats().lossEvents > 0, "the proxy really delayed chunks as losses");
    await Promise.all([gm, ...players].map((c) => c.until((s) => s.version === battle.version, 10_000, "the last patch")));
    for (const c of [gm, ...players]) assertClientMatchesServer(c, battle);
    await Promise.all([gm, ...players].map((c) => c.room.leave()));
  });
});
