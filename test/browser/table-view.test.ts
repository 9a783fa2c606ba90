// The table's view in real Chromium (issue 14): the longest names the limits allow, a GM and a
// player at 1366×768 and a player on a 390×844 phone. After every action the newest roll card is
// on screen without scrolling, no element runs past the viewport's right edge, and every card's
// dice and DMs add up to its total and match the engine's event (the room's full log).
// Screenshots go to test-artifacts/.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import { LIMITS } from "../../src/commands";
import type { LogEntry } from "../../src/rules/model";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";
import { eventually, launchBrowser, openPage, type WatchedPage } from "../support/browser";

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
/** Names without a space, as long as the limits allow. */
const long = (c: string, n: number = LIMITS.name) => c.repeat(n);

const byId = (page: Page, id: string) => page.getByTestId(id);

/** Visible elements whose right edge runs past the viewport (sr-only text and closed dialogs excepted). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest(".sr-only, .sr-label")) continue;
      if (r.right > width + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()}[${el.dataset.testid ?? el.className}] ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
    }
    return out.slice(0, 10);
  });
}

/** The newest roll card is the log's newest roll and lies wholly inside the viewport as the page is scrolled now. */
async function newestCardInView(page: Page, newestSeq: number): Promise<boolean> {
  return page.evaluate((seq) => {
    const card = document.querySelector<HTMLElement>('[data-testid="latest-card"]');
    if (!card || Number(card.dataset.seq) !== seq) return false;
    const r = card.getBoundingClientRect();
    const head = card.querySelector(".card-head")!.getBoundingClientRect();
    const strip = card.closest(".latest")!.getBoundingClientRect();
    // The card's head and first roll line at least (a long volley may scroll inside the strip).
    return r.top >= 0 && head.top >= strip.top && Math.min(r.bottom, strip.bottom) <= window.innerHeight && r.right <= document.documentElement.clientWidth;
  }, newestSeq);
}

interface CardData { seq: number; dice: number[]; dms: number[]; total: number; need?: number; damageDice?: number[]; damageDms?: number[]; damageTotal?: number }

function cards(page: Page): Promise<CardData[]> {
  // Plain data out of the page; parsed here (a helper function inside the page callback would not survive the transpiler).
  return page.$$eval('[data-testid="log-entry"][data-total]', (els) => els.map((el) => ({ ...(el as HTMLElement).dataset })))
    .then((rows) => rows.map((d) => ({
      seq: Number(d.seq), dice: nums(d.dice), dms: nums(d.dms), total: Number(d.total),
      ...(d.need ? { need: Number(d.need) } : {}),
      ...(d.damageDice ? { damageDice: nums(d.damageDice), damageDms: nums(d.damageDms) } : {}),
      ...(d.damageTotal ? { damageTotal: Number(d.damageTotal) } : {}),
    })));
}
const nums = (v?: string) => (v ? v.split(",").map(Number) : []);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The create form's ship-class selects whose longest label would not fit (issue 14: "Free Trader
 * (20" was all one saw): the label's width in the select's own font against the room inside it.
 */
async function cutShipClassLabels(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="ship-class"]', (selects) => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    const cut: string[] = [];
    for (const el of selects as HTMLSelectElement[]) {
      const cs = getComputedStyle(el);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      // room for the text: the inner width less the padding and the arrow (about one line's height)
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - parseFloat(cs.fontSize);
      for (const o of Array.from(el.options)) if (ctx.measureText(o.text).width > room) cut.push(`${o.text} (${Math.round(ctx.measureText(o.text).width)} > ${Math.round(room)} px)`);
    }
    return cut;
  });
}

describe("the table's view: roll cards, long names, 1366×768 and a 390×844 phone (Chromium)", function () {
  this.timeout(120_000);
  let browser: Browser;
  let base: string;
  let roomId = "";
  const pages: WatchedPage[] = [];
  let gm: WatchedPage;
  let alice: WatchedPage;
  let phone: WatchedPage;

  const open = async (label: string, viewport: { width: number; height: number }) => {
    const w = await openPage(browser, label, viewport);
    pages.push(w);
    return w;
  };
  const fullLog = (): LogEntry[] => (server().colyseus.getRoomById(roomId) as unknown as BattleRoom).fullLog;
  const newestRollSeq = () => Math.max(...fullLog().filter((e) => e.dice.length || e.damage).map((e) => e.seq));

  async function join(w: WatchedPage, name: string, positions: string[]) {
    await w.page.goto(base);
    await byId(w.page, "battle-row").first().waitFor();
    await byId(w.page, "join-battle").first().click();
    await byId(w.page, "join-name").fill(name);
    await byId(w.page, "join-ship").selectOption("p1");
    for (const p of positions) await byId(w.page, `join-pos-${p}`).check();
    await byId(w.page, "join-submit").click();
    await w.page.locator('[data-testid="battle-view"][data-role="player"]').waitFor();
  }

  /** After an action: every page shows the newest roll card on screen and nothing runs off it. */
  async function checkEveryPage(what: string) {
    const seq = newestRollSeq();
    for (const w of [gm, alice, phone]) {
      await eventually(() => newestCardInView(w.page, seq), `${w.label}: the newest roll card (#${seq}) in view after ${what}`);
      assert.deepEqual(await overflowing(w.page), [], `${w.label}: nothing overflows after ${what}`);
    }
  }

  before(async () => { await buildClient({ quiet: true }); });
  const server = useServer({ SERVE_CLIENT: "true" });
  before(async () => {
    base = `http://127.0.0.1:${server().port}/`;
    browser = await launchBrowser();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it("creates and joins a battle of the longest names without a sideways scroll, in the lobby at both sizes", async () => {
    gm = await open("gm", DESKTOP);
    await gm.page.goto(base);
    await byId(gm.page, "ship-row-players").waitFor();
    await byId(gm.page, "create-name").fill(long("W", LIMITS.battleName));
    await byId(gm.page, "create-gm-name").fill(long("G"));
    await byId(gm.page, "create-timeout").fill("300");
    await gm.page.locator('[data-testid="ship-row-players"] [data-testid="ship-class"]').selectOption("patrolCorvette");
    await gm.page.locator('[data-testid="ship-row-players"] [data-testid="ship-name"]').fill(long("L"));
    await gm.page.locator('[data-testid="ship-row-npc"] [data-testid="ship-name"]').fill(long("C"));
    await byId(gm.page, "create-submit").click();
    await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').waitFor();
    roomId = (await byId(gm.page, "battle-view").getAttribute("data-room-id"))!;

    for (const [label, size] of [["lobby-1366x768", DESKTOP], ["lobby-390x844", PHONE]] as const) {
      const visitor = await open(label, size);
      await visitor.page.goto(base);
      await byId(visitor.page, "battle-row").first().waitFor();
      assert.deepEqual(await overflowing(visitor.page), [], `${label}: nothing overflows`);
      assert.ok(await byId(visitor.page, "join-battle").first().isVisible(), `${label}: Join in view`);
      assert.deepEqual(await cutShipClassLabels(visitor.page), [], `${label}: every ship-class label shown whole`);
      await visitor.page.screenshot({ path: path.join(ARTIFACTS, `${label}.png`), fullPage: true });
    }

    alice = await open("alice", DESKTOP);
    await join(alice, long("A"), ["pilot", "gunner"]);
    phone = await open("phone", PHONE);
    await join(phone, long("B"), ["engineer", "captain", "sensors"]);
    await eventually(async () => (await byId(gm.page, "crew").locator("li").count()) === 3, "three crew listed for the GM");
  });

  it("shows the newest roll card without scrolling after each action, on every page, with nothing off screen", async () => {
    await byId(gm.page, "gm-start").click();
    for (const w of [gm, alice, phone]) await w.page.locator('[data-testid="battle-view"][data-phase="combat"]').waitFor();
    await checkEveryPage("the start (initiative)");
    await eventually(async () => {
      const active = await byId(alice.page, "battle-view").getAttribute("data-active-ship");
      if (active === "p1") return true;
      const btn = byId(gm.page, "gm-end-turn");
      if (active === "n1" && await btn.isEnabled()) await btn.click();
      return false;
    }, "the players' turn", 15_000);

    const act = async (w: WatchedPage, testid: string) => {
      const before = fullLog().length;
      await byId(w.page, testid).click();
      await eventually(async () => fullLog().length > before, `${testid} accepted`);
      await checkEveryPage(testid);
    };
    await act(phone, "lock");
    await act(alice, "t3-fire");
    await act(alice, "t1-launch-smart");
    await act(alice, "evade");
    await act(phone, "coord-pool");

    // The range ladder puts the enemy on the rung of its band, as the server has it, with the missiles in flight.
    const state = (server().colyseus.getRoomById(roomId) as unknown as BattleRoom).state;
    for (const w of [gm, alice, phone]) {
      await eventually(async () => (await byId(w.page, "ladder-p1-n1").getAttribute("data-band")) === state.ranges.get("n1|p1"), `${w.label}: the band on the ladder`);
      assert.match((await byId(w.page, "ladder-p1-n1").textContent()) ?? "", /3 missiles in flight, next round \d+/);
    }
    // Hull at a glance: the bar says what the numbers say; the players have no bar for the enemy they cannot see into.
    const [hull, maxHull] = ((await byId(gm.page, "hull-n1").textContent()) ?? "").split("/");
    assert.deepEqual([await byId(gm.page, "hull-bar-n1").getAttribute("value"), await byId(gm.page, "hull-bar-n1").getAttribute("max")], [hull, maxHull]);
    assert.equal(await byId(alice.page, "hull-n1").textContent() === "?" ? await byId(alice.page, "hull-bar-n1").count() : 0, 0);
    await gm.page.screenshot({ path: path.join(ARTIFACTS, "gm-view-1366x768.png"), fullPage: true });
    await alice.page.screenshot({ path: path.join(ARTIFACTS, "player-view-1366x768.png"), fullPage: true });
    await phone.page.screenshot({ path: path.join(ARTIFACTS, "player-view-390x844.png"), fullPage: true });
    await gm.page.setViewportSize(PHONE);
    assert.deepEqual(await overflowing(gm.page), [], "the GM's view on a phone: nothing overflows");
    await gm.page.screenshot({ path: path.join(ARTIFACTS, "gm-view-390x844.png"), fullPage: true });
    await gm.page.setViewportSize(DESKTOP);
    // The turn line stays in view on the phone when the page scrolls.
    await phone.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const turn = await byId(phone.page, "turn").boundingBox();
    assert.ok(turn && turn.y >= 0 && turn.y < PHONE.height / 2, `the turn line in view after scrolling (${JSON.stringify(turn)})`);
  });

  it("a roll card's dice and DMs add up to its total (checked against the engine's event) in the browser", async () => {
    const events = new Map(fullLog().map((e) => [e.seq, e]));
    for (const w of [gm, alice, phone]) {
      const shown = await cards(w.page);
      assert.ok(shown.length >= 5, `${w.label}: cards shown`);
      for (const c of shown) {
        const e = events.get(c.seq)!;
        assert.equal(sum(c.dice) + sum(c.dms), c.total, `${w.label} #${c.seq}: dice and DMs add up`);
        assert.deepEqual([c.dice, c.total, c.need], [e.dice, e.total, e.need], `${w.label} #${c.seq}: as the engine rolled`);
        if (e.damage) {
          assert.deepEqual(c.damageDice, e.damage.dice, `${w.label} #${c.seq}: damage dice`);
          if (c.damageTotal !== undefined) {
            assert.equal(Math.max(0, sum(c.damageDice!) + sum(c.damageDms!)), c.damageTotal, `${w.label} #${c.seq}: damage adds up`);
            assert.equal(c.damageTotal, e.damage.total, `${w.label} #${c.seq}: the engine's damage`);
          }
        }
      }
    }
    // The GM sees every damage total; the hits on the NPC show the players no armour figure unless they hold a lock.
    const gmCards = await cards(gm.page);
    for (const c of gmCards) if (events.get(c.seq)!.damage) assert.notEqual(c.damageTotal, undefined, `GM #${c.seq}: damage total`);
  });

  it("shows a crew member who closed the tab as disconnected on the ship's card and in the turn line", async () => {
    assert.equal(await byId(gm.page, "active-ship").textContent(), long("L"), "still the players' turn");
    await phone.page.close();
    for (const w of [gm, alice]) {
      await eventually(async () => (await w.page.locator('[data-testid="ship-crew-p1"] [data-connected="false"]').count()) === 1, `${w.label}: the card marks the absent crew member`);
      assert.match((await byId(w.page, "ship-crew-p1").textContent()) ?? "", new RegExp(`${long("B")} \\(disconnected\\)`));
      assert.match((await byId(w.page, "turn-absent").textContent()) ?? "", new RegExp(`disconnected: ${long("B")}`));
    }
  });

  it("gives the GM an invite link that opens the join form for this battle", async () => {
    const link = await byId(gm.page, "invite").getAttribute("data-link");
    assert.equal(link, `${base}#join=${roomId}`);
    await byId(gm.page, "invite").click();
    await eventually(async () => /\S/.test((await byId(gm.page, "invite-note").textContent()) ?? ""), "the link copied or shown");
    const guest = await open("guest", PHONE);
    await guest.page.goto(link!);
    await eventually(async () => (await byId(guest.page, "join-form").getAttribute("data-room-id")) === roomId, "the join form of the invited battle");
    assert.ok(await byId(guest.page, "join-name").isVisible());
  });

  it("asks the GM before leaving the battle, from the keyboard too: Cancel has the focus and Escape cancels", async () => {
    await byId(gm.page, "leave").focus();
    await gm.page.keyboard.press("Enter");
    await byId(gm.page, "confirm-dialog").waitFor();
    assert.equal(await gm.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid), "confirm-no", "Cancel focused");
    await gm.page.keyboard.press("Escape");
    await eventually(async () => (await byId(gm.page, "confirm-dialog").count()) === 0, "the dialog gone");
    assert.equal(await gm.page.locator('[data-testid="battle-view"][data-role="gm"]').count(), 1, "still in the battle");
    assert.equal(await byId(gm.page, "conn-status").getAttribute("data-state"), "connected");
  });

  it("announces new cards to screen readers and met the Content Security Policy with no errors", async () => {
    assert.match((await byId(alice.page, "announcer").textContent()) ?? "", /\S/, "the last action was announced");
    assert.equal(await byId(alice.page, "announcer").getAttribute("aria-live"), "polite");
    for (const w of pages) {
      assert.deepEqual(w.cspViolations, [], `${w.label}: CSP violations`);
      assert.deepEqual(w.pageErrors, [], `${w.label}: page errors`);
      assert.deepEqual(w.dialogs, [], `${w.label}: dialogs`);
    }
  });
});
