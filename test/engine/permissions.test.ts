import assert from "node:assert/strict";
import { apply, createBattle, neededRole } from "../../src/engine";
import { permission } from "../../src/engine/permissions";
import type { Actor, Command, ShipCommand } from "../../src/engine/types";
import { fixedDice } from "../../src/rules/dice";
import type { Role } from "../../src/rules/model";
import { clone, crew, GM, must, SYSTEM } from "./helpers";

function battle() {
  const b = createBattle({ ruleset: "ce", startingRange: "medium", ships: [
    { side: "players", name: "Trader", className: "freeTrader" }, { side: "npc", name: "Trader B", className: "freeTrader" },
  ] });
  must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 1, 1])));
  return b;
}

const shipCmds: [ShipCommand, Role | null][] = [
  [{ type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, "gunner"],
  [{ type: "launchMissile", shipId: "p1", turretId: "t1", targetId: "n1", missile: "smart" }, "gunner"],
  [{ type: "pointDefense", shipId: "p1", turretId: "t1" }, "gunner"],
  [{ type: "useSandcaster", shipId: "p1", turretId: "t2" }, "gunner"],
  [{ type: "evade", shipId: "p1", mode: "evasive" }, "pilot"],
  [{ type: "changeRange", shipId: "p1", targetId: "n1", direction: "closer" }, "pilot"],
  [{ type: "repair", shipId: "p1" }, "engineer"],
  [{ type: "sensorLock", shipId: "p1", targetId: "n1" }, "sensors"],
  [{ type: "coordinate", shipId: "p1", mode: "pool" }, "captain"],
  [{ type: "endTurn", shipId: "p1" }, null],
];

function expectForbidden(actor: Actor, cmd: Command) {
  const b = battle();
  const before = clone(b);
  const r = apply(b, actor, cmd, fixedDice([]));
  assert.equal(r.ok ? null : r.code, "forbidden");
  assert.deepEqual(b, before);
}

describe("permissions", () => {
  for (const [cmd, role] of shipCmds) {
    it(`${cmd.type} needs the ${role ?? "any"} position`, () => assert.equal(neededRole(cmd), role));
    if (role) {
      it(`forbids ${cmd.type} to crew without the ${role} position`, () => {
        expectForbidden(crew("p1", (["pilot", "gunner", "engineer", "captain", "sensors"] as Role[]).filter((r) => r !== role)), cmd);
      });
    }
    it(`forbids ${cmd.type} to the crew of another ship`, () => expectForbidden(crew("p2"), cmd));
    // The GM acts for a player ship whose crew is absent (the room refuses it while the crew is connected).
    it(`lets the GM send ${cmd.type} for a player ship`, () => assert.equal(permission(battle(), GM, cmd), null));
    it(`forbids ${cmd.type} to the system`, () => expectForbidden(SYSTEM, cmd));
  }
  it("lets any crew position end its own ship's turn", () => {
    const b = battle();
    must(apply(b, crew("p1", ["sensors"]), { type: "endTurn", shipId: "p1" }, fixedDice([])));
  });
  it("forbids an endTurn to a crew actor holding no position", () => expectForbidden(crew("p1", []), { type: "endTurn", shipId: "p1" }));
  it("lets the GM command NPC ships", () => {
    const b = battle();
    must(apply(b, GM, { type: "useSandcaster", shipId: "n1", turretId: "t2" }, fixedDice([])));
  });
  for (const cmd of [{ type: "start" }, { type: "end", winner: "npc", reason: "gm" }, { type: "removeShip", shipId: "n1" }, { type: "addShip", ship: { side: "npc", name: "X", className: "fighter" } }] as Command[]) {
    it(`forbids the GM command ${cmd.type} to crew and to the system`, () => {
      expectForbidden(crew("p1"), cmd);
      expectForbidden(SYSTEM, cmd);
    });
  }
  for (const cmd of [{ type: "timeout", round: 1, turnIndex: 0 }, { type: "idleEnd" }] as Command[]) {
    it(`forbids the system command ${cmd.type} to the GM and to crew`, () => {
      expectForbidden(GM, cmd);
      expectForbidden(crew("p1"), cmd);
    });
  }
});
