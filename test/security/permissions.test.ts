import assert from "node:assert/strict";
import { SeatClient, type Reply } from "../../harness/seat-client";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { COLUMNS, MATRIX, NEEDS, PAYLOADS, type Cell, type Column } from "./permission-matrix";
import { useServer } from "../support/use-server";

/** Codes that mean "the permission layer refused it"; anything else means the rules judged it. */
const REFUSALS = new Set(["forbidden", "readOnly", "notSeated", "invalid", "rateLimited"]);

describe("permission matrix (every message x every kind of sender, through real SDK clients)", function () {
  this.timeout(60_000);
  const server = useServer();
  let room: BattleRoom;
  const c = {} as Record<"gm" | "all" | "gunnerOnly" | "pilotOnly" | "spectator" | "unseated", SeatClient>;

  before(async () => {
    // Machine-speed limits: this test judges permissions, not rates (the limits have their own tests).
    const gmRoom = await server().sdk().create("battle", {
      name: "Matrix", allowSpectators: true, turnTimeoutSec: 600,
      ships: [
        { side: "players", name: "One", className: "freeTrader" },
        { side: "players", name: "Two", className: "freeTrader" },
        { side: "npc", name: "Raider", className: "corsair" },
      ],
    });
    c.gm = new SeatClient(gmRoom, "gm");
    await c.gm.seated();
    const join = async (label: keyof typeof c, opts: Record<string, unknown>) => {
      c[label] = new SeatClient(await server().sdk().joinById(gmRoom.roomId, opts), label);
      await c[label].seated();
    };
    await join("all", { name: "All", shipId: "p1", positions: ["pilot", "gunner", "engineer", "captain", "sensors"] });
    await join("gunnerOnly", { name: "Gunner", shipId: "p2", positions: ["gunner"] });
    await join("pilotOnly", { name: "Pilot", shipId: "p2", positions: ["pilot"] });
    await join("spectator", { name: "Watcher", spectator: true });
    await join("unseated", { name: "Revoked", shipId: "p1", positions: ["gunner"] });
    room = server().colyseus.getRoomById(gmRoom.roomId) as unknown as BattleRoom;
    // A live connection whose seat is gone (as after a revoked seat): the room's defensive branch.
    (room as unknown as { host: { seats: { unbind(id: string): unknown } } }).host.seats.unbind(c.unseated.room.sessionId);
    assert.equal(c.spectator.seat!.role, "spectator");
    assert.equal(c.spectator.seat!.key, "", "a spectator gets no key");
  });

  const snapshot = () => JSON.stringify(room.engineState());

  function senderFor(type: string, column: Column): { client: SeatClient; payload: Record<string, unknown> } {
    const payload = { ...PAYLOADS[type] };
    switch (column) {
      case "gm": return { client: c.gm, payload };
      case "crew": return { client: c.all, payload };
      case "crewLacking": return { client: NEEDS[type] === "gunner" ? c.pilotOnly : c.gunnerOnly, payload };
      case "crewNamingOtherShip": return { client: c.all, payload: { ...payload, shipId: "p2" } };
      case "spectator": return { client: c.spectator, payload };
      case "unseated": return { client: c.unseated, payload };
    }
  }

  async function send(type: string, column: Column): Promise<Reply> {
    const { client, payload } = senderFor(type, column);
    return client.command(type, payload);
  }

  function judge(outcome: Reply): Exclude<Cell, null> {
    if (outcome.kind === "ack") return "allow";
    return REFUSALS.has(outcome.error.code) ? (outcome.error.code as Exclude<Cell, null>) : "allow";
  }

  for (const [type, row] of Object.entries(MATRIX)) {
    const refused = (Object.entries(row) as [Column, Cell][]).filter(([, cell]) => cell !== null && cell !== "allow");
    const allowed = (Object.entries(row) as [Column, Cell][]).filter(([, cell]) => cell === "allow");
    it(`${type}: refused for ${refused.map(([col]) => COLUMNS[col]).join("; ")}; changes nothing when refused`, async () => {
      for (const [column, expected] of refused) {
        const before = snapshot();
        const outcome = await send(type, column);
        assert.equal(judge(outcome), expected, `${type} from ${COLUMNS[column]}: ${JSON.stringify(outcome)}`);
        assert.equal(snapshot(), before, `${type} from ${COLUMNS[column]} left the battle unchanged`);
      }
    });
    it(`${type}: allowed for ${allowed.map(([col]) => COLUMNS[col]).join("; ")}`, async () => {
      for (const [column] of allowed) {
        const outcome = await send(type, column);
        assert.equal(judge(outcome), "allow", `${type} from ${COLUMNS[column]}: ${JSON.stringify(outcome)}`);
      }
    });
  }

  it("played the GM's state-changing messages for real (the battle ended by gm:end)", () => {
    assert.equal(room.engineState().phase, "ended");
    assert.ok(c.all.room.connection.isOpen && c.spectator.room.connection.isOpen, "refusals kick nobody");
  });

  it("shows a spectator public ship data only, never the details a seat is entitled to", () => {
    const own = c.spectator.state.ships.get("p1");
    const npc = c.spectator.state.ships.get("n1");
    assert.equal(own.name, "One");
    for (const ship of [own, npc]) {
      for (const field of ["hull", "armour", "structure", "maxHull"]) assert.ok(!ship[field], `${ship.id}.${field} is not received`);
      assert.equal(ship.turrets?.length ?? 0, 0, `${ship.id} turrets are not received`);
    }
    assert.ok(c.all.state.ships.get("p1").hull > 0, "while the crew sees its own ship in full");
    assert.equal([...c.gm.state.crew.values()].some((m: any) => m.name === "Watcher"), false, "spectators are not crew");
  });
});
