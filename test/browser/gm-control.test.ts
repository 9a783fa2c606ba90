// The GM in control in real Chromium: the absent-player flow (a player's page closes, the GM
// pauses, skips, frees the seat, a new player takes it) and the undo of a hit, seen by every client.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import { useServer } from "../support/use-server";
import { eventually, launchBrowser, openPage, type WatchedPage } from "../support/browser";

describe("the GM in control (Chromium)", function () {
  this.timeout(120_000);
  let browser: Browser;
  let base: string;
  const pages: WatchedPage[] = [];
  const byId = (page: Page, id: string) => page.getByTestId(id);
  const attr = (page: Page, id: string, name: string) => byId(page, id).getAttribute(name);
  const text = async (page: Page, id: string) => ((await byId(page, id).first().textContent()) ?? "").trim();

  async function join(w: WatchedPage, name: string, shipId: string) {
    await w.page.goto(base);
    await byId(w.page, "battle-row").first().waitFor();
    await eventually(async () => (await byId(w.page, "join-battle").first().isEnabled()) || undefined, `${name}: Join enabled`, 15_000);
    await byId(w.page, "join-battle").first().click();
    await byId(w.page, "join-name").fill(name);
    await byId(w.page, "join-ship").selectOption(shipId);
    for (const p of ["pilot", "gunner", "engineer", "captain", "sensors"]) await byId(w.page, `join-pos-${p}`).check();
    await byId(w.page, "join-submit").click();
    await w.page.locator('[data-testid="battle-view"][data-role="player"]').waitFor();
    await eventually(async () => (await attr(w.page, "my-seat", "data-ship-id")) === shipId, `${name} seated`);
  }

  before(async () => { await buildClient({ quiet: true }); });
  const server = useServer({ SERVE_CLIENT: "true" });
  before(async () => {
    base = `http://127.0.0.1:${server().port}/`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it("the absent-player flow: close a player's page, GM pauses, skips, frees the seat, a new player takes it; undo of a hit restores the target's hull for every client", async () => {
    const gm = await openPage(browser, "gm");
    pages.push(gm);
    await gm.page.goto(base);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill("Absent Crew");
    await byId(gm.page, "create-timeout").fill("600");
    await gm.page.locator('[data-testid="ship-row-players"] [data-testid="ship-class"]').selectOption("farTrader");
    await gm.page.locator('[data-testid="ship-row-players"] [data-testid="ship-name"]').fill("Lance");
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();

    const alice = await openPage(browser, "alice");
    await join(alice, "Alice", "p1");
    const seatId = await eventually(async () => {
      const ids = await gm.page.$$eval('[data-testid="gm-seats"] li[data-connected]', (els) => els.map((e) => e.getAttribute("data-testid")));
      return ids.length === 1 ? ids[0]!.slice("gm-seat-".length) : undefined;
    }, "Alice's seat in the GM's Players list");
    await byId(gm.page, "gm-start").click();
    await gm.page.locator('[data-testid="battle-view"][data-phase="combat"]').waitFor();

    // Alice closes her page: her seat shows offline, and the GM may act for Lance.
    await alice.context.close();
    await eventually(async () => (await attr(gm.page, `gm-seat-${seatId}`, "data-connected")) === "false", "Alice offline in the GM's list");
    assert.equal(await byId(gm.page, `gm-release-${seatId}`).isEnabled(), true, "Free seat offered for the absent player");

    // The GM pauses the clock...
    await byId(gm.page, "gm-pause").click();
    await eventually(async () => /^Paused/.test(await text(gm.page, "gm-clock")), "the clock paused");
    await byId(gm.page, "gm-resume").waitFor();
    // ...brings Lance's turn round (acting for the NPC) and skips it.
    await eventually(async () => {
      const active = await attr(gm.page, "battle-view", "data-active-ship");
      if (active === "p1") return true;
      const end = byId(gm.page, "gm-end-turn");
      if (await end.isEnabled().catch(() => false)) await end.click();
      return false;
    }, "Lance's turn", 15_000);
    await byId(gm.page, "gm-skip").click();
    await eventually(async () => (await attr(gm.page, "battle-view", "data-active-ship")) !== "p1" || undefined, "Lance's turn skipped");
    assert.ok((await gm.page.$$eval('[data-testid="log-entry"]', (els) => els.map((e) => e.textContent ?? ""))).some((t) => /skips Lance's turn/.test(t)));

    // ...frees the seat, after confirming...
    await byId(gm.page, `gm-release-${seatId}`).click();
    await byId(gm.page, "confirm-yes").click();
    await eventually(async () => (await byId(gm.page, `gm-seat-${seatId}`).count()) === 0, "the seat freed");

    // ...and a new player takes Lance.
    const bea = await openPage(browser, "bea");
    pages.push(bea);
    await join(bea, "Bea", "p1");
    await byId(gm.page, "gm-resume").click();
    await eventually(async () => /^Running/.test(await text(gm.page, "gm-clock")), "the clock running again");

    // The NPC fires at Lance until a shot takes hull; the GM undoes that shot.
    const hullOf = async (page: Page) => text(page, "hull-p1");
    let before = "";
    await eventually(async () => {
      const active = await attr(gm.page, "battle-view", "data-active-ship");
      if (active === "p1") {
        const end = byId(bea.page, "end-turn");
        if (await end.isEnabled().catch(() => false)) await end.click();
        return false;
      }
      if (active !== "n1") return false;
      const fire = byId(gm.page, "gm-t1-fire");
      if (!(await fire.isEnabled().catch(() => false))) {
        const end = byId(gm.page, "gm-end-turn");
        if (await end.isEnabled().catch(() => false)) await end.click();
        return false;
      }
      await byId(gm.page, "gm-target").selectOption("p1").catch(() => undefined);
      before = await hullOf(gm.page);
      const logCount = await byId(gm.page, "log-entry").count();
      await fire.click();
      await eventually(async () => (await byId(gm.page, "log-entry").count()) > logCount, "the shot in the log");
      const after = await hullOf(gm.page);
      return after !== before ? after : false;
    }, "a shot that takes Lance's hull", 90_000);
    const hit = await hullOf(gm.page);
    await eventually(async () => (await hullOf(bea.page)) === hit, "Bea sees the hit");
    await byId(gm.page, "gm-undo").click();
    await byId(gm.page, "confirm-yes").click();
    for (const w of [gm, bea]) {
      await eventually(async () => (await hullOf(w.page)) === before, `${w.label} sees Lance's hull restored (${before})`);
      await eventually(async () => (await w.page.$$eval('[data-testid="log-entry"]', (els) => els.map((e) => e.textContent ?? ""))).some((t) => /GM correction: .*shot at Lance undone/.test(t)), `${w.label} sees the correction in the log`);
    }
    for (const w of pages) {
      assert.deepEqual(w.pageErrors, [], `${w.label}: page errors`);
      assert.deepEqual(w.cspViolations, [], `${w.label}: CSP violations`);
    }
  });
});
