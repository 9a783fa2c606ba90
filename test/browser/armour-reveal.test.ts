// A roll card gains the target's armour once the players may see it (Chromium). Players see a
// hit on an NPC they hold no sensor lock on without its armour ("− armour", no damage total);
// when their sensors officer locks on, the server sends the players' log tail again with the
// hidden details (src/battle/log-feed.ts), and the card already on screen shows the armour and
// the damage the engine rolled.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import type { BattleRoom } from "../../rooms/BattleRoom";
import type { LogEntry } from "../../src/rules/model";
import { legalBattleOf, turnStamp } from "../../src/commands";
import { ALL_ROLES, twoShipOptions } from "../../harness/battles";
import { SeatClient } from "../../harness/seat-client";
import { volley } from "../../harness/volley";
import { useServer } from "../support/use-server";
import { eventually, launchBrowser, openPage, type WatchedPage } from "../support/browser";

/** What a roll card in the page says about a damage roll: its DMs and total as shown (none when hidden). */
function damageShown(page: Page, seq: number) {
  return page.$$eval(`[data-testid="log-entry"][data-seq="${seq}"]`, (els) => els.map((el) => ({
    dms: (el as HTMLElement).dataset.damageDms ?? "",
    total: (el as HTMLElement).dataset.damageTotal,
    text: el.querySelector('[data-testid="card-damage"]')?.textContent ?? "",
  }))[0]);
}

describe("the target's armour on a roll card, revealed by a sensor lock (Chromium)", function () {
  this.timeout(120_000);
  let browser: Browser;
  let alice: WatchedPage;
  const clients: SeatClient[] = [];

  before(async () => { await buildClient({ quiet: true }); });
  const server = useServer({ SERVE_CLIENT: "true" });
  before(async () => { browser = await launchBrowser(); });
  after(async () => {
    await Promise.all(clients.map((c) => c.leave()));
    await browser?.close().catch(() => undefined);
  });

  it("shows a hit on an unlocked NPC without its armour, then, after the lock, the same card with the armour and the engine's damage", async () => {
    // The GM and a gunner (pilot, engineer, captain too) play from test clients; Alice, the
    // sensors officer of the same ship, plays in the browser: the lock is hers to make.
    const gm = new SeatClient(await server().sdk().create("battle", twoShipOptions({ turnTimeoutSec: 300 })), "gm");
    clients.push(gm);
    await gm.seated();
    const roomId = gm.room.roomId;
    const gunner = new SeatClient(await server().sdk().joinById(roomId, { name: "Gunner", shipId: "p1", positions: ALL_ROLES.filter((p) => p !== "sensors") }), "gunner");
    clients.push(gunner);
    await gunner.seated();

    alice = await openPage(browser, "alice");
    const byId = (id: string) => alice.page.getByTestId(id);
    await alice.page.goto(`http://127.0.0.1:${server().port}/#join=${roomId}`);
    await byId("join-name").fill("Alice");
    await byId("join-ship").selectOption("p1");
    await byId("join-pos-sensors").check();
    await byId("join-submit").click();
    await alice.page.locator('[data-testid="battle-view"][data-role="player"]').waitFor();
    await gm.until((s) => s.crew.size === 3, 5000, "three seats");

    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    const hiddenHit = (): LogEntry | undefined => room.fullLog.find((e) => e.target === "n1" && e.damage && e.actor === "p1");
    assert.equal((await gm.command("gm:start")).kind, "ack");

    // Turn after turn, the gunner fires at the Corsair (armour 8) without a lock, until a shot hits.
    let hit: LogEntry | undefined;
    for (let turns = 0; !hit && turns < 60; turns++) {
      const active = gm.state.order[gm.state.turnIndex];
      const v = turnStamp(gm.state);
      await gunner.until((st) => turnStamp(st) === v, 5000, "the gunner's state in step with the GM's");
      if (active === "n1") {
        assert.equal((await gm.command("gm:act", { shipId: "n1", v, command: { type: "endTurn" } })).kind, "ack");
      } else {
        for (const shot of volley(legalBattleOf(gunner.state), "p1", ALL_ROLES)) {
          const { type, shipId: _s, ...payload } = shot;
          await gunner.command(`space:${type}`, { ...payload, v });
        }
        hit = hiddenHit();
        if (!hit) assert.equal((await gunner.command("space:endTurn", { v })).kind, "ack");
      }
      await gm.until((s) => turnStamp(s) !== v || hit !== undefined, 5000, "the turn to end");
    }
    assert.ok(hit, "a hit on the Corsair within 60 turns");
    assert.equal(gm.state.order[gm.state.turnIndex], "p1", "still the players' turn: the lock is next");

    // Before the lock: the card shows the damage dice and "− armour", no DM for it, no total.
    const before = await eventually(() => damageShown(alice.page, hit!.seq), `Alice's card #${hit.seq}`);
    assert.equal(before.total, undefined, "no damage total: it would give the armour away");
    assert.match(before.text, /− armour/);
    const armour = hit.damage!.modifiers.find((m) => m.label === "armour");
    assert.ok(armour && armour.value < 0, "the engine took the Corsair's armour off");
    const publicDms = hit.damage!.modifiers.filter((m) => m.label !== "armour").map((m) => m.value);
    assert.deepEqual(before.dms ? before.dms.split(",").map(Number) : [], publicDms, "the card's DMs: the public ones only");

    // Alice locks on (a Sensors check: tried again on the next turns until it succeeds). Until then
    // the card stays as it was; once locked, the same card, already on screen, shows the armour.
    for (let tries = 0; ; tries++) {
      assert.ok(tries < 20, "a sensor lock within 20 turns");
      const locks = room.fullLog.filter((e) => e.action === "sensorLock").length;
      await byId("lock").click();
      await eventually(async () => room.fullLog.filter((e) => e.action === "sensorLock").length > locks || undefined, "the lock check rolled");
      await gm.until((st) => st.version === room.state.version, 5000, "the GM's state in step");
      if (gm.state.ships.get("p1").lockedOn.includes("n1")) break;
      assert.equal((await damageShown(alice.page, hit.seq))?.total, undefined, "a failed lock reveals nothing");
      let v = turnStamp(gm.state);
      assert.equal((await gunner.command("space:endTurn", { v })).kind, "ack");
      await gm.until((st) => turnStamp(st) !== v, 5000, "the players' turn to end");
      v = turnStamp(gm.state);
      assert.equal((await gm.command("gm:act", { shipId: "n1", v, command: { type: "endTurn" } })).kind, "ack");
      await alice.page.locator('[data-testid="battle-view"][data-active-ship="p1"]').waitFor();
    }
    const after = await eventually(async () => {
      const shown = await damageShown(alice.page, hit!.seq);
      return shown?.total !== undefined ? shown : undefined;
    }, `Alice's card #${hit.seq} to gain its damage total`);
    assert.equal(Number(after.total), hit.damage!.total, "the damage the engine rolled");
    assert.deepEqual(after.dms.split(",").map(Number), hit.damage!.modifiers.map((m) => m.value), "every damage DM, the armour's included");
    assert.match(after.text, new RegExp(`${Math.abs(armour.value)} armour`), "the armour's figure on the card");
    assert.doesNotMatch(after.text, /− armour/, "no longer hidden");
    assert.deepEqual(alice.pageErrors, [], "no page errors");
  });
});
