// The web client follows its battle when the server process dies: a process without Redis is
// SIGKILLed mid-battle and started again on its data directory; the GM's and the player's pages
// rejoin the same seats by themselves and show the same battle.
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import { launchBrowser, openPage, eventually, type WatchedPage } from "../support/browser";
import { startNode, tempDir, type Node } from "../../harness/cluster";

describe("web client when its server process dies (Chromium)", function () {
  this.timeout(90_000);
  let browser: Browser;
  let node: Node;
  let dataDir: string;
  const byId = (page: Page, id: string) => page.getByTestId(id);
  const texts = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => (e.textContent ?? "").trim()));

  before(async () => {
    await buildClient({ quiet: true });
    dataDir = tempDir("tb-browser-");
    node = await startNode({ DATA_DIR: dataDir, SERVE_CLIENT: "true" });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    if (node && !node.proc.exited) node.proc.child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("rejoins the same seats and shows the same battle once the battle is back, without user action", async () => {
    const base = `http://127.0.0.1:${node.port}/`;
    const gm: WatchedPage = await openPage(browser, "gm");
    await gm.page.goto(base);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill("Crash Test");
    await byId(gm.page, "create-timeout").fill("120");
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();

    const ann: WatchedPage = await openPage(browser, "ann");
    await ann.page.goto(base);
    await byId(ann.page, "join-battle").first().click();
    await byId(ann.page, "join-name").fill("Ann");
    await byId(ann.page, "join-ship").selectOption("p1");
    for (const p of ["pilot", "gunner", "engineer", "captain", "sensors"]) await byId(ann.page, `join-pos-${p}`).check();
    await byId(ann.page, "join-submit").click();
    await ann.page.locator('[data-testid="battle-view"][data-role="player"]').waitFor();
    await eventually(async () => (await byId(gm.page, "crew").locator("li").count()) === 2, "two crew listed");
    await byId(gm.page, "gm-start").click();
    for (const w of [gm, ann]) await w.page.locator('[data-testid="battle-view"][data-phase="combat"]').waitFor();

    const pages = [gm, ann];
    for (const w of pages) {
      await w.page.evaluate(() => {
        const el = document.querySelector('[data-testid="conn-status"]') as HTMLElement;
        const seen: string[] = [];
        (window as unknown as { __connStates: string[] }).__connStates = seen;
        new MutationObserver(() => { if (seen.at(-1) !== el.dataset.state) seen.push(el.dataset.state ?? ""); })
          .observe(el, { attributes: true, attributeFilter: ["data-state"] });
      });
    }
    const seats = await Promise.all(pages.map((w) => byId(w.page, "my-seat").getAttribute("data-seat-id")));
    const logs = await Promise.all(pages.map((w) => texts(w.page, '[data-testid="log-entry"]')));
    const roomId = await byId(ann.page, "battle-view").getAttribute("data-room-id");

    const port = node.port;
    node.proc.child.kill("SIGKILL");
    await new Promise((r) => node.proc.child.once("exit", r));
    node = await startNode({ DATA_DIR: dataDir, SERVE_CLIENT: "true" }, port);

    for (const [i, w] of pages.entries()) {
      await eventually(async () => (await byId(w.page, "conn-status").getAttribute("data-state")) === "connected"
        && (await w.page.evaluate(() => (window as any).__connStates as string[])).includes("relocating"), `${w.label} back`, 30_000);
      assert.equal(await byId(w.page, "my-seat").getAttribute("data-seat-id"), seats[i], `${w.label} kept the seat`);
      assert.equal(await byId(w.page, "battle-view").getAttribute("data-room-id"), roomId);
      await eventually(async () => (await byId(w.page, "log-entry").count()) === logs[i]!.length, `${w.label}'s log back`);
      assert.deepEqual(await texts(w.page, '[data-testid="log-entry"]'), logs[i]);
      await w.page.locator('[data-testid="battle-view"][data-phase="combat"]').waitFor();
    }
    await eventually(async () => (await gm.page.locator(`[data-testid="crew-${seats[1]}"]`).getAttribute("data-connected")) === "true", "the player marked connected");
    for (const w of pages) assert.deepEqual(w.pageErrors, [], `${w.label}: no page errors`);
  });
});
