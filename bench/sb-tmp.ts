import { activeShipId, apply, createBattle } from "../src/engine";
import { createOptionsSchema } from "../src/commands";
import { BattleState } from "../schema/BattleState";
import { syncBattle } from "../schema/sync";
import { createDice } from "../src/rules/dice";
import { DEFAULT_PLAN, shipsFor } from "../loadtest/lib/plan";
const o = createOptionsSchema.parse({ name: "b", gmName: "GM", ships: shipsFor(DEFAULT_PLAN).ships, startingRange: "short" });
const b = createBattle({ ruleset: o.ruleset, startingRange: o.startingRange, ships: o.ships, houseRules: o.houseRules });
apply(b, { kind: "gm" }, { type: "start" }, createDice(1));
const s = new BattleState(); syncBattle(s, b, activeShipId(b)!);
const N = 20000; let t = process.hrtime.bigint();
for (let i = 0; i < N; i++) syncBattle(s, b, activeShipId(b)!);
console.log("syncBattle unchanged µs", Number(process.hrtime.bigint() - t) / N / 1000);
t = process.hrtime.bigint();
for (let i = 0; i < N; i++) { b.ships.p1!.hull = 100 - (i % 50); b.version++; syncBattle(s, b, activeShipId(b)!); }
console.log("syncBattle one ship changed µs", Number(process.hrtime.bigint() - t) / N / 1000);
t = process.hrtime.bigint();
for (let i = 0; i < N; i++) { activeShipId(b); }
console.log("activeShipId µs", Number(process.hrtime.bigint() - t) / N / 1000);
