// The dev performance dashboard in real Chromium, fed by a battle that two SDK bots are playing.
import path from "node:path";
import fs from "node:fs";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { buildClient } from "../../scripts/build-client";
import { gmAndPlayer } from "../../harness/battles";
import { autoPlay } from "../../harness/play";
import { eventually, launchBrowser, openPage } from "../support/browser";
import { useServer } from "../support/use-server";

/** Screenshots for people to look at (not committed; see .gitignore). */
const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");

const PASSWORD = "dashboard-password-1234";

/** Rows of the chart's canvas holding pixels of the series colour: a line that moves spans many. */
function seriesRows(rgb: [number, number, number]) {
  return (canvas: HTMLCanvasElement, c: [number, number, number]) => {
    const ctx = canvas.getContext("2d")!;
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const rows = new Set<number>();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i + 3]! > 200 && Math.abs(data[i]! - c[0]) < 24 && Math.abs(data[i + 1]! - c[1]) < 24 && Math.abs(data[i + 2]! - c[2]) < 24) { rows.add(y); break; }
      }
    }
    return rows.size;
  };
  void rgb;
}

describe("dev performance dashboard (Chromium)", function () {
  this.timeout(60_000);
  before(async () => { await buildClient({ quiet: true }); });
  const server = useServer({ ADMIN_PASSWORD: PASSWORD, METRICS_SAMPLE_MS: "250" });
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it("is refused without credentials", async () => {
    const w = await openPage(browser, "anonymous");
    const res = await w.context.request.get(`http://127.0.0.1:${server().port}/dev/dashboard/`);
    assert.equal(res.status(), 401);
    await w.context.close();
  });

  it("loads behind the credentials and draws live charts from a running battle", async () => {
    const { gm, player } = await gmAndPlayer(server());
    const stops = [autoPlay(gm, { gm: true }), autoPlay(player, { gm: false, shipId: "p1" })];
    assert.equal((await gm.command("gm:start")).kind, "ack");

    const w = await openPage(browser, "operator", { width: 1280, height: 1400 }, { httpCredentials: { username: "admin", password: PASSWORD } });
    try {
      const res = await w.page.goto(`http://127.0.0.1:${server().port}/dev/dashboard/`);
      assert.equal(res?.status(), 200);
      await w.page.getByTestId("chart-commands").locator("canvas").waitFor();
      assert.match(await w.page.getByTestId("source").innerText(), /history in memory/);

      // The figures of the battle reach the page: commands accepted, two connections, one battle.
      await eventually(async () => {
        const total = Number(await w.page.getByTestId("stat-commandsTotal").locator(".value").innerText());
        const points = Number(await w.page.getByTestId("chart-commands").getAttribute("data-points"));
        return total >= 5 && points >= 4;
      }, "commands on the dashboard", 20_000);
      stops.forEach((stop) => stop());
      assert.equal(await w.page.getByTestId("stat-connections").locator(".value").innerText(), "2");
      assert.equal(await w.page.getByTestId("stat-battles").locator(".value").innerText(), "1");
      // a small battle's state is under 1 KB (the combat log is not state)
      assert.match(await w.page.getByTestId("stat-stateMaxBytes").locator(".value").innerText(), /^(0\.[1-9]|[1-9][\d.]*) KB$/);

      // Every chart is drawn; the accepted-commands series (#3fb950) rises and falls across the canvas.
      const charts = await w.page.locator(".chart canvas").count();
      assert.ok(charts >= 8, `${charts} charts`);
      const rows = await w.page.getByTestId("chart-commands").locator("canvas").evaluate(seriesRows([63, 185, 80]), [63, 185, 80] as [number, number, number]);
      assert.ok(rows > 3, `accepted-commands line spans ${rows} rows`);

      assert.deepEqual(w.cspViolations, []);
      assert.deepEqual(w.pageErrors, []);
      assert.deepEqual(w.consoleErrors, []);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await w.page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png"), fullPage: true });
    } finally {
      stops.forEach((stop) => stop());
      await w.context.close();
      await Promise.all([gm.room.leave(), player.room.leave()]).catch(() => undefined);
    }
  });

  it("serves the Colyseus monitor at /colyseus behind the same credentials, listing the battles", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const w = await openPage(browser, "monitor", undefined, { httpCredentials: { username: "admin", password: PASSWORD } });
    try {
      await w.page.goto(`http://127.0.0.1:${server().port}/colyseus/`);
      await w.page.getByText(roomId).waitFor();
      assert.deepEqual(w.pageErrors, []);
      // The panel's only refused resource is its third-party icon font (we load nothing off-site).
      assert.deepEqual(w.cspViolations.filter((v) => !/fonts\.googleapis\.com/.test(v)), []);
    } finally {
      await w.context.close();
      await Promise.all([gm.room.leave(), player.room.leave()]).catch(() => undefined);
    }
  });
});
