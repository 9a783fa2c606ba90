// Spectators in the web client: a GM opens a battle that allows them, a spectator watches it
// from the lobby, sees the public picture only and has nothing to act or chat with.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import { eventually, launchBrowser, openPage, type WatchedPage } from "../support/browser";
import { useServer } from "../support/use-server";

describe("web client spectators (Chromium)", function () {
  this.timeout(60_000);
  before(async () => { await buildClient({ quiet: true }); });
  const server = useServer({ SERVE_CLIENT: "true" });
  let browser: Browser;
  let base: string;
  const pages: WatchedPage[] = [];
  const byId = (page: Page, id: string) => page.getByTestId(id);

  before(async () => {
    base = `http://127.0.0.1:${server().port}/`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it("lets a spectator watch a battle that allows it: public data only, no actions, no chat, not listed as crew", async () => {
    const gm = await openPage(browser, "gm");
    pages.push(gm);
    await gm.page.goto(base);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill("Watched Battle");
    await byId(gm.page, "create-spectators").check();
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();

    const viewer = await openPage(browser, "viewer");
    pages.push(viewer);
    await viewer.page.goto(base);
    const row = viewer.page.locator('[data-testid="battle-row"]', { hasText: "Watched Battle" });
    await row.waitFor();
    await row.getByTestId("watch-battle").click();
    await byId(viewer.page, "watch-name").fill("Carol");
    await byId(viewer.page, "watch-submit").click();
    await viewer.page.locator('[data-testid="battle-view"][data-role="spectator"]').waitFor();

    await byId(viewer.page, "spectator-note").waitFor();
    assert.equal(await viewer.page.locator('[data-testid$="-fire"]').count(), 0, "no weapon controls");
    assert.equal(await byId(viewer.page, "chat-input").isDisabled(), true);
    assert.equal(await byId(viewer.page, "chat-send").isDisabled(), true);
    assert.match((await byId(viewer.page, "my-seat").textContent()) ?? "", /watching/);
    // public data only: neither side's hull, while the GM sees both
    await byId(viewer.page, "hull-n1").waitFor();
    assert.equal(await byId(viewer.page, "hull-n1").textContent(), "?");
    assert.equal(await byId(viewer.page, "hull-p1").textContent(), "?");
    assert.match((await byId(gm.page, "hull-p1").textContent()) ?? "", /^\d+\/\d+$/);
    // the GM's crew list holds the GM alone: a spectator holds no seat
    await eventually(async () => (await byId(gm.page, "crew").locator("li").count()) === 1, "the crew list without the spectator");

    for (const w of pages) {
      assert.deepEqual(w.cspViolations, [], `${w.label}: CSP violations`);
      assert.deepEqual(w.pageErrors, [], `${w.label}: page errors`);
    }
  });

  it("offers no Watch button for a battle that does not allow spectators", async () => {
    const gm = await openPage(browser, "gm2");
    await gm.page.goto(base);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill("Private Battle");
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();
    const other = await openPage(browser, "other");
    await other.page.goto(base);
    const row = other.page.locator('[data-testid="battle-row"]', { hasText: "Private Battle" });
    await row.waitFor();
    assert.equal(await row.getByTestId("watch-battle").count(), 0);
    assert.equal(await row.getByTestId("join-battle").count(), 1);
  });
});
