// `npm run bench:heap`: plays batches of complete battles (GM + 3 players + 4 NPC ships) in one
// process, then forces garbage collection and prints the live heap after each batch. A flat
// series means finished battles leave nothing behind. Bounded: 4 batches of 15 battles.
import "../src/server/polyfills";
import { startServer } from "../test/support/server";
import { SeatClient } from "../test/support/seat-client";
import { autoPlay } from "../test/support/bots";
const ROLES = ["pilot", "gunner", "engineer", "captain", "sensors"];
async function battle(server: any) {
  const ships = [...[1,2,3].map(i => ({ side: "players", name: `P${i}`, className: "patrolCorvette" })), ...[1,2,3,4].map(i => ({ side: "npc", name: `N${i}`, className: "fighter" }))];
  const gm = new SeatClient(await server.sdk().create("battle", { name: "h", startingRange: "short", ships }), "gm"); await gm.seated();
  const ps: SeatClient[] = [];
  for (let i = 1; i <= 3; i++) { const p = new SeatClient(await server.sdk().joinById(gm.room.roomId, { name: `P${i}`, shipId: `p${i}`, positions: ROLES }), `p${i}`); await p.seated(); ps.push(p); }
  const stops = [autoPlay(gm, { gm: true }), ...ps.map((p, i) => autoPlay(p, { gm: false, shipId: `p${i+1}` }))];
  await gm.command("gm:start"); await gm.until((s: any) => s.phase === "ended", 60000); stops.forEach(s => s());
  await Promise.all([gm, ...ps].map(c => c.room.leave()));
}
(async () => {
  const server = await startServer();
  const heap = () => { (global as any).gc(); (global as any).gc(); return Math.round(process.memoryUsage().heapUsed / 1e5) / 10; };
  for (let batch = 0; batch < 4; batch++) {
    for (let i = 0; i < 15; i++) await battle(server);
    await new Promise(r => setTimeout(r, 500));
    console.log(`after batch ${batch + 1} (${(batch + 1) * 15} battles): live heap after GC ${heap()} MB, rooms alive ${(require("@colyseus/core").matchMaker as any).stats?.local?.roomCount ?? "?"}`);
  }
  await server.close(); process.exit(0);
})();
