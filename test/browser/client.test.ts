// The web client in real Chromium against the real server: a GM and two players play a turn,
// a reload resumes a seat, hostile names and chat stay inert text, and screenshots are saved.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { matchMaker } from "@colyseus/core";
import { buildClient } from "../../scripts/build-client";
import { eventually, launchBrowser, openPage, type WatchedPage } from "../support/browser";
import { useServer } from "../support/use-server";

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");
const XSS_NAME = "<img src=x onerror=alert(1)>";
const XSS_CHAT = "<script>window.__pwned=1</script>";

describe("web client (Chromium)", function () {
  this.timeout(60_000);
  before(async () => { await buildClient({ quiet: true }); });
  const server = useServer({ SERVE_CLIENT: "true" });
  let browser: Browser;
  let base: string;
  const pages: WatchedPage[] = [];
  let gm: WatchedPage;
  let alice: WatchedPage;
  let bob: WatchedPage;

  const open = async (label: string, viewport?: { width: number; height: number }) => {
    const w = await openPage(browser, label, viewport);
    pages.push(w);
    return w;
  };
  const byId = (page: Page, id: string) => page.getByTestId(id);
  const texts = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => (e.textContent ?? "").trim()));
  const attr = (page: Page, id: string, name: string) => byId(page, id).getAttribute(name);

  async function join(w: WatchedPage, name: string, shipId: string, positions: string[]) {
    await w.page.goto(base);
    await byId(w.page, "battle-row").first().waitFor();
    await byId(w.page, "join-battle").first().click();
    await byId(w.page, "join-name").fill(name);
    await byId(w.page, "join-ship").selectOption(shipId);
    for (const p of positions) await byId(w.page, `join-pos-${p}`).check();
    await byId(w.page, "join-submit").click();
    await w.page.locator('[data-testid="battle-view"][data-role="player"]').waitFor();
    await eventually(async () => (await attr(w.page, "my-seat", "data-ship-id")) === shipId, `${name} seated`);
  }

  before(async () => {
    base = `http://127.0.0.1:${server().port}/`;
    browser = await launchBrowser();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it("lets a GM create a battle, two players join, fire and launch, and shows everyone the same state", async () => {
    gm = await open("gm");
    await gm.page.goto(base);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill("Browser Battle");
    await byId(gm.page, "create-timeout").fill("120");
    await gm.page.locator('[data-testid="ship-row-players"] [data-testid="ship-class"]').selectOption("patrolCorvette");
    await gm.page.locator('[data-testid="ship-row-players"] [data-testid="ship-name"]').fill("Lance");
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();
    await eventually(async () => (await byId(gm.page, "conn-status").getAttribute("data-state")) === "connected", "GM connected");

    alice = await open("alice");
    await join(alice, "Alice", "p1", ["pilot", "gunner"]);
    bob = await open("bob");
    await join(bob, "Bob", "p1", ["engineer", "captain", "sensors"]);
    await eventually(async () => (await byId(gm.page, "crew").locator("li").count()) === 3, "three crew listed for the GM");


    // before the start every action is off with its reason
    assert.equal(await byId(alice.page, "t3-fire").isDisabled(), true);
    assert.equal((await byId(alice.page, "t3-fire-why").textContent())?.trim(), "the battle has not started");

    await byId(gm.page, "gm-start").click();
    for (const w of [gm, alice, bob]) await w.page.locator('[data-testid="battle-view"][data-phase="combat"]').waitFor();

    // the GM ends NPC turns until it is the players' ship's turn
    await eventually(async () => {
      const active = await attr(alice.page, "battle-view", "data-active-ship");
      if (active === "p1") return true;
      if (active === "n1") {
        const btn = byId(gm.page, "gm-end-turn");
        if (await btn.isEnabled()) await btn.click();
      }
      return false;
    }, "the players' turn", 15_000);

    assert.equal((await byId(bob.page, "t3-fire-why").textContent())?.trim(), "you are not the gunner");
    assert.equal((await byId(alice.page, "t1-launch-why").textContent())?.trim(), "no standard missiles left", "the corvette carries smart missiles only");
    assert.equal(await byId(alice.page, "t3-fire").isEnabled(), true);

    const logBefore = await byId(alice.page, "log-entry").count();
    await byId(alice.page, "target").selectOption("n1");
    await byId(alice.page, "t3-fire").click();
    await eventually(async () => (await byId(alice.page, "log-entry").count()) > logBefore, "the shot in the log");
    await eventually(async () => (await byId(alice.page, "t3-fire-why").textContent())?.trim() === "turret t3 has already been used this round", "turret marked used");

    await byId(alice.page, "t1-launch-smart").click();
    for (const w of [gm, alice, bob]) await byId(w.page, "missile").first().waitFor();
    assert.match((await byId(bob.page, "missile").first().textContent()) ?? "", /Smart missile from Lance → Corsair One, arrives round \d+/);
    assert.equal(await byId(alice.page, "errors").locator("li").count(), 0, "no refused command");

    // every context shows the same hull values and the same log
    await eventually(async () => {
      // The GM's cards also show the corsair's armour (hidden from the players): same entries, same players' text.
      const logs = await Promise.all([gm, alice, bob].map((w) => texts(w.page, '[data-testid="log-entry"]')));
      const hulls = await Promise.all([gm, alice, bob].map((w) => byId(w.page, "hull-p1").textContent()));
      return logs[0].length > logBefore && logs.every((l) => l.length === logs[0].length) && JSON.stringify(logs[1]) === JSON.stringify(logs[2])
        && hulls.every((x) => x === hulls[0] && /^\d+\/\d+$/.test(x ?? ""));
    }, "the same log and hull in every context");
    const gmLog = await texts(gm.page, '[data-testid="log-entry"]');
    assert.ok(gmLog.some((l) => /Lance fires at Corsair One/.test(l)), `the shot is logged: ${gmLog.join(" | ")}`);
    // hidden information: the GM knows the corsair's hull, the players do not (no sensor lock)
    assert.match((await byId(gm.page, "hull-n1").textContent()) ?? "", /^\d+\/\d+$/);
    assert.equal(await byId(alice.page, "hull-n1").textContent(), "?");
    assert.equal(await byId(bob.page, "armour-n1").textContent(), "?");
  });

  it("resumes the same seat with the same state after a page reload", async () => {
    const seatBefore = await attr(alice.page, "my-seat", "data-seat-id");
    const hullBefore = await byId(alice.page, "hull-p1").textContent();
    const logBefore = await texts(alice.page, '[data-testid="log-entry"]');
    await alice.page.reload();
    await alice.page.locator('[data-testid="battle-view"][data-role="player"]').waitFor();
    await eventually(async () => (await attr(alice.page, "my-seat", "data-seat-id")) === seatBefore, "the same seat");
    await eventually(async () => (await byId(alice.page, "log-entry").count()) === logBefore.length, "the log back");
    assert.deepEqual(await texts(alice.page, '[data-testid="log-entry"]'), logBefore);
    assert.equal(await byId(alice.page, "hull-p1").textContent(), hullBefore);
    assert.equal(await byId(alice.page, "conn-status").getAttribute("data-state"), "connected");
    assert.equal((await byId(alice.page, "t3-fire-why").textContent())?.trim(), "turret t3 has already been used this round");
    await eventually(async () => (await gm.page.locator(`[data-testid="crew-${seatBefore}"]`).getAttribute("data-connected")) === "true", "marked connected for the GM");
    assert.equal(await byId(gm.page, "crew").locator("li").count(), 3, "no extra seat was taken");
  });

  it("shows the connection dropping and coming back, for the player and in the GM's crew list", async () => {
    const seatId = await attr(alice.page, "my-seat", "data-seat-id");
    const roomId = await attr(alice.page, "battle-view", "data-room-id");
    await alice.page.evaluate(() => {
      const el = document.querySelector('[data-testid="conn-status"]') as HTMLElement;
      const seen: string[] = [];
      (window as unknown as { __connStates: string[] }).__connStates = seen;
      new MutationObserver(() => { if (seen.at(-1) !== el.dataset.state) seen.push(el.dataset.state ?? ""); })
        .observe(el, { attributes: true, attributeFilter: ["data-state"] });
    });
    // an abrupt network loss: the server-side socket dies without a close handshake
    const room = matchMaker.getLocalRoomById(roomId!);
    const client = room.clients.find((c) => (c.userData as { seatId?: string } | undefined)?.seatId === seatId);
    assert.ok(client, "Alice's connection on the server");
    (client as unknown as { ref: { terminate(): void } }).ref.terminate();
    await eventually(async () => (await gm.page.locator(`[data-testid="crew-${seatId}"]`).getAttribute("data-connected")) === "false", "marked disconnected for the GM", 5000);
    await eventually(async () => (await attr(alice.page, "conn-status", "data-state")) === "connected"
      && (await gm.page.locator(`[data-testid="crew-${seatId}"]`).getAttribute("data-connected")) === "true", "reconnected", 10_000)
      .catch(async (err: Error) => { throw new Error(`${err.message}; states seen: ${await alice.page.evaluate(() => JSON.stringify((window as any).__connStates))}; status: ${await byId(alice.page, "conn-status").textContent()}`); });
    const states = await alice.page.evaluate(() => (window as unknown as { __connStates: string[] }).__connStates);
    assert.deepEqual(states, ["reconnecting", "connected"]);
    // still in the same seat, still receiving patches and able to act
    await byId(alice.page, "chat-input").fill("back online");
    await byId(alice.page, "chat-send").click();
    await eventually(async () => (await texts(gm.page, ".chat-text")).includes("back online"), "chat after reconnection");
  });

  it("renders a hostile player name and chat line as plain text and runs nothing", async () => {
    const mallory = await open("mallory");
    await join(mallory, XSS_NAME, "p1", ["gunner"]);
    await byId(mallory.page, "chat-input").fill(XSS_CHAT);
    await byId(mallory.page, "chat-send").click();
    for (const w of [gm, alice, bob, mallory]) {
      await eventually(async () => (await texts(w.page, '[data-testid="chat-text"], .chat-text')).includes(XSS_CHAT), `${w.label} sees the chat line`);
      await eventually(async () => (await texts(w.page, '[data-testid="crew-name"]')).includes(XSS_NAME), `${w.label} sees the name`);
      const dom = await w.page.evaluate(() => ({
        imgs: document.querySelectorAll("img").length,
        scripts: Array.from(document.querySelectorAll("script")).map((s) => s.getAttribute("src")),
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      }));
      assert.equal(dom.imgs, 0, `${w.label}: no injected img`);
      assert.deepEqual(dom.scripts, ["app.js"], `${w.label}: no injected script`);
      assert.equal(dom.pwned, undefined, `${w.label}: nothing executed`);
    }
    await new Promise((r) => setTimeout(r, 300)); // let a would-be onerror fire
    for (const w of pages) assert.deepEqual(w.dialogs, [], `${w.label}: no dialog`);
  });

  it("saves screenshots of the lobby, the GM view and the player view", async () => {
    const visitor = await open("visitor");
    await visitor.page.goto(base);
    await byId(visitor.page, "battle-row").first().waitFor();
    await byId(visitor.page, "ship-row-npc").waitFor();
    await visitor.page.screenshot({ path: path.join(ARTIFACTS, "lobby.png"), fullPage: true });
    await gm.page.screenshot({ path: path.join(ARTIFACTS, "gm-view.png"), fullPage: true });
    await alice.page.screenshot({ path: path.join(ARTIFACTS, "player-view.png"), fullPage: true });
    const narrow = await open("narrow", { width: 400, height: 800 });
    await narrow.page.goto(base);
    await byId(narrow.page, "battle-row").first().waitFor();
    await narrow.page.screenshot({ path: path.join(ARTIFACTS, "lobby-narrow.png"), fullPage: true });
    await bob.page.setViewportSize({ width: 400, height: 800 });
    await bob.page.screenshot({ path: path.join(ARTIFACTS, "player-view-narrow.png"), fullPage: true });
    for (const f of ["lobby.png", "gm-view.png", "player-view.png"]) assert.ok(fs.statSync(path.join(ARTIFACTS, f)).size > 1000, f);
  });

  it("met the Content Security Policy and threw no errors on any page", () => {
    for (const w of pages) {
      assert.deepEqual(w.cspViolations, [], `${w.label}: CSP violations`);
      assert.deepEqual(w.pageErrors, [], `${w.label}: page errors`);
      assert.deepEqual(w.dialogs, [], `${w.label}: dialogs`);
    }
  });
});
