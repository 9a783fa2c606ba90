// The attack of issue 15: a stranger who knows a battle's id (the lobby lists it) POSTs
// /matchmake/joinById/<id> with an empty body once a second and never connects. Colyseus used to
// hand out a seat reservation for each before any credential was checked, and the reservations
// filled the room's maxClients: the room locked, and the right password and the GM key were
// refused. Production limits; the stranger comes from 127.0.0.2, the table from 127.0.0.1.
import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import { gmAndPlayer } from "../../harness/battles";
import { SeatClient } from "../../harness/seat-client";
import { joinById } from "../../harness/raw-http";
import { useServer } from "../support/use-server";

const PASSWORD = "sesame-open-1234";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("no stranger can lock a battle (seat-reservation abuse)", function () {
  this.timeout(120_000);
  const server = useServer({}, { humanLimits: true });

  it("lets a player in with the right password 10 times out of 10, and the GM back in, while a stranger posts empty joins once a second", async () => {
    const { gm, roomId } = await gmAndPlayer(server(), { password: PASSWORD });
    const gmKey = (await gm.seated()).key;
    const stranger: number[] = [];
    let attacking = true;
    const attack = (async () => {
      while (attacking) {
        const res = await joinById(server().port, roomId, {}, "127.0.0.2");
        stranger.push(res.status);
        await sleep(1000);
      }
    })();
    try {
      // Long enough for the old reservations (15 s each) to fill every place of the battle.
      await sleep(8000);
      const results: string[] = [];
      for (let i = 0; i < 10; i++) {
        try {
          const guest = new SeatClient(await server().sdk().joinById(roomId, { name: `Guest ${i}`, shipId: "p1", positions: ["gunner"], password: PASSWORD }), `guest-${i}`);
          const seat = await guest.seated();
          results.push("seated");
          await guest.leave();
          // The GM frees the seat again, so the ten joins never meet the player limit.
          await gm.until((s) => s.crew.get(seat.seatId)?.connected === false, 5000, "guest gone");
          const released = await gm.command("gm:releaseSeat", { seatId: seat.seatId });
          assert.equal(released.kind, "ack", JSON.stringify(released));
        } catch (err) {
          results.push(String((err as Error).message));
        }
        await sleep(1000);
      }
      assert.deepEqual(results, Array(10).fill("seated"));
      const again = new SeatClient(await server().sdk().joinById(roomId, { gmKey }), "gm-again");
      assert.equal((await again.seated()).role, "gm");
      await again.leave();
    } finally {
      attacking = false;
      await attack;
    }
    // The stranger never got a reservation: refused for the missing password, then locked out.
    assert.ok(stranger.length >= 15, `${stranger.length} stranger requests`);
    assert.ok(stranger.every((s) => s === 403 || s === 429), `stranger statuses ${stranger.join(",")}`);
    assert.ok(stranger.includes(429), "the stranger was locked out after AUTH_FAILURES_PER_IP_BATTLE");
    const [listing] = await matchMaker.query({ roomId });
    assert.equal(listing?.locked, false, "the battle is not locked");
  });
});
