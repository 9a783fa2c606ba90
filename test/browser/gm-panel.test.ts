// The GM's page in real Chromium: the fleet controls follow the battle (a removed ship leaves the
// "Remove ship" list), and chat lines are acknowledged, or come back into the input when refused.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import { startServer, type TestServer } from "../support/server";
import { eventually, launchBrowser, openPage, type WatchedPage } from "../support/browser";

describe("web client GM panel and chat (Chromium)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: Browser;
  let gm: WatchedPage;
  const byId = (page: Page, id: string) => page.getByTestId(id);
  const optionValues = (page: Page, id: string) => page.$$eval(`[data-testid="${id}"] option`, (os) => os.map((o) => (o as HTMLOptionElement).value).sort());
  const texts = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => (e.textContent ?? "").trim()));

  before(async () => {
    await buildClient({ quiet: true });
    server = await startServer({ SERVE_CLIENT: "true" });
    browser = await launchBrowser();
    gm = await openPage(browser, "gm");
    await gm.page.goto(`http://127.0.0.1:${server.port}/`);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill("Fleet Control");
    await byId(gm.page, "create-timeout").fill("600");
    await byId(gm.page, "add-npc-ship").click();
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  });

  it("drops a ship the GM removed in combat from the Remove ship list", async () => {
    assert.deepEqual(await optionValues(gm.page, "gm-remove-ship"), ["n1", "n2", "p1"]);
    await byId(gm.page, "gm-start").click();
    await gm.page.locator('[data-testid="battle-view"][data-phase="combat"]').waitFor();
    await byId(gm.page, "gm-remove-ship").selectOption("n2");
    await byId(gm.page, "gm-remove").click();
    // A destructive action asks once more before it is sent.
    assert.equal(await byId(gm.page, "gm-remove-ask").count(), 1);
    await byId(gm.page, "gm-remove-confirm").click();
    // In combat a removed ship stays in the state (escaped) with a log entry saying it left.
    await eventually(async () => (await texts(gm.page, '[data-testid="log-entry"]')).some((t) => /leaves the battle/.test(t)), "the removal in the log");
    await eventually(async () => JSON.stringify(await optionValues(gm.page, "gm-remove-ship")) === JSON.stringify(["n1", "p1"]),
      `n2 gone from the list (it offers ${JSON.stringify(await optionValues(gm.page, "gm-remove-ship"))})`, 5000);
    assert.equal(await byId(gm.page, "error").count(), 0, "no refused command");
  });

  it("shows an acknowledged chat line, and puts a line the server refused back into the input with the refusal", async () => {
    await byId(gm.page, "chat-input").fill("all hands");
    await byId(gm.page, "chat-send").click();
    await eventually(async () => (await texts(gm.page, ".chat-text")).includes("all hands"), "the line shown");
    await eventually(async () => (await byId(gm.page, "chat-form").getAttribute("data-pending")) === "0", "the line acknowledged");
    assert.equal(await byId(gm.page, "chat-input").inputValue(), "");

    // Zero-width characters only: not blank to the browser, empty once the server cleans it up.
    const invisible = "\u200B\u200B";
    await byId(gm.page, "chat-input").fill(invisible);
    await byId(gm.page, "chat-send").click();
    await eventually(async () => (await texts(gm.page, '[data-testid="error"]')).some((t) => /^invalid: .*\(chat\)/.test(t)), "the refusal shown");
    assert.equal(await byId(gm.page, "chat-input").inputValue(), invisible, "the refused line is back in the input");
    assert.equal(await byId(gm.page, "chat-form").getAttribute("data-pending"), "0");
    assert.deepEqual(await texts(gm.page, ".chat-text"), ["all hands"]);
    assert.deepEqual(gm.pageErrors, []);
  });
});
