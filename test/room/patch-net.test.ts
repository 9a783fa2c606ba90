import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import { patchEvery, type PatchedRoom } from "../../rooms/patch-net";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A room that counts the net's calls (and throws when told to). */
function countingRoom(opts: { throws?: boolean } = {}): PatchedRoom & { calls: number } {
  const room = {
    calls: 0,
    broadcastPatch() {
      room.calls++;
      if (opts.throws) throw new Error("broken room");
      return false;
    },
  };
  return room;
}

describe("the patch safety net: one timer per process, not one per room", () => {
  it("patches every room that joined once per interval, and no room after it left", async () => {
    const a = countingRoom();
    const b = countingRoom();
    const leaveA = patchEvery(40, a);
    const leaveB = patchEvery(40, b);
    await sleep(230);
    leaveA();
    const aAtLeave = a.calls;
    await sleep(150);
    leaveB();
    assert.ok(aAtLeave >= 3 && aAtLeave <= 6, `a patched ${aAtLeave} times in 230 ms at 40 ms`);
    assert.equal(a.calls, aAtLeave, "a room that left is no longer patched");
    assert.ok(b.calls >= aAtLeave + 2, `b kept being patched (${b.calls})`);
  });

  it("keeps patching the other rooms when one throws", async () => {
    const broken = countingRoom({ throws: true });
    const fine = countingRoom();
    const leave = [patchEvery(30, broken), patchEvery(30, fine)];
    await sleep(130);
    leave.forEach((f) => f());
    assert.ok(broken.calls >= 2 && fine.calls >= 2, `broken ${broken.calls}, fine ${fine.calls}`);
  });

  it("stops its timer when the last room leaves, so an idle process has nothing to wake for", async () => {
    const room = countingRoom();
    patchEvery(25, room)();
    await sleep(100);
    assert.equal(room.calls, 0);
  });
});

describe("a battle's change that nothing pushed reaches its clients by the safety net", function () {
  this.timeout(20_000);
  const server = useServer({ PATCH_RATE_MS: "300" });

  it("delivers a state change made without a patch", async () => {
    const { gm, roomId } = await gmAndPlayer(server());
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    await sleep(400); // the join's own patches are out
    room.state.name = "Renamed behind the room's back";
    // nothing else happens in this battle: only the net can push it (its room's own interval is off)
    await gm.until((s) => s.name === "Renamed behind the room's back", 3000, "the change to arrive");
  });
});
