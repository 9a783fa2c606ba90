import assert from "node:assert/strict";
import { SeatClient } from "../../harness/seat-client";
import { gmAndPlayer, twoShipOptions } from "../../harness/battles";
import { chatMsg, joinOptionsSchema, createOptionsSchema, sanitizeText, SHIP_MESSAGES, GM_MESSAGES } from "../../src/commands";
import { TokenBucket, Guard } from "../../src/battle/guard";
import { loadConfig } from "../../src/server/config";
import { useServer } from "../support/use-server";

describe("text clean-up (names, ship names, chat)", () => {
  const cases: [string, string, string][] = [
    ["out a bidi override that reverses what others read", "evil\u202Egnp.exe", "evilgnp.exe"],
    ["bidi isolates and marks", "a\u2066b\u2069c\u200Fd\u061Ce", "abcde"],
    ["zero-width characters and BOM", "ad\u200Bmi\u200Dn\uFEFF", "admin"],
    ["C0 and C1 controls, escape sequences", "red\u001b[31mtext\u0007\u0085", "red[31mtext"],
    ["line breaks collapse to one space", "line one\r\n\n\tline two\u2028three", "line one line two three"],
    ["tag characters (invisible text)", "hi\u{E0041}\u{E0042}", "hi"],
    ["private-use characters", "x\uE000y", "xy"],
    ["combining-mark pile-ups are capped at four", "x\u0301\u0302\u0303\u0304\u0305\u0306\u0307", "x\u0301\u0302\u0303\u0304"],
    ["NFKC folds look-alike compatibility forms in names", "\uFF21\uFF44\uFF4D\uFF49\uFF4E", "Admin"],
  ];
  for (const [what, input, expected] of cases) {
    it(`cleans ${what}`, () => {
      assert.equal(sanitizeText(input, "NFKC"), expected);
    });
  }

  it("keeps ordinary text in any script, emoji included", () => {
    for (const s of ["Beowulf", "Ünïcødé", "日本語の船", "Корабль", "سفينة", "🚀 ready"]) assert.equal(sanitizeText(s), s.normalize("NFC"));
  });

  it("applies the length limit after clean-up, and refuses text that is empty once cleaned", () => {
    assert.equal(chatMsg.safeParse({ cid: "c1", text: "a".repeat(500) }).success, true);
    assert.equal(chatMsg.safeParse({ cid: "c1", text: "a".repeat(501) }).success, false);
    assert.equal(chatMsg.safeParse({ cid: "c1", text: "a\u200B".repeat(500) }).success, true, "invisible padding does not count");
    assert.equal(chatMsg.safeParse({ cid: "c1", text: "\u202E\u200B\u0000 " }).success, false);
    assert.equal(joinOptionsSchema.safeParse({ name: "n".repeat(41) }).success, false);
  });

  it("refuses unknown keys, and prototype-pollution keys, in every message and option schema", () => {
    const schemas = [...Object.values(SHIP_MESSAGES), ...Object.values(GM_MESSAGES), chatMsg, joinOptionsSchema, createOptionsSchema];
    for (const payload of [
      JSON.parse('{"cid":"a1","__proto__":{"polluted":true}}'),
      JSON.parse('{"cid":"a1","constructor":{"prototype":{"polluted":true}}}'),
      { cid: "a1", prototype: {} },
      { cid: "a1", extra: 1 },
    ]) {
      for (const schema of schemas) assert.equal(schema.safeParse(payload).success, false, JSON.stringify(payload));
    }
    const ok = createOptionsSchema.safeParse(twoShipOptions());
    assert.equal(ok.success, true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });
});

describe("token bucket", () => {
  it("allows the burst at once, then one message per 1/rate seconds", () => {
    let now = 0;
    const b = new TokenBucket(2, 8, now);
    const first = Array.from({ length: 10 }, () => b.take(now));
    assert.deepEqual(first, [...Array(8).fill(true), false, false]);
    assert.equal(b.waitMs(), 500);
    now += 499;
    assert.equal(b.take(now), false);
    now += 1;
    assert.equal(b.take(now), true);
    now += 60_000;
    assert.equal(Array.from({ length: 9 }, () => b.take(now)).filter(Boolean).length, 8, "never more than the burst");
  });

  it("counts strikes in a sliding window", () => {
    let now = 0;
    const g = new Guard({ ...loadConfig({}), IDS_MAX_STRIKES: 3, IDS_WINDOW_SEC: 10 }, () => now);
    assert.equal(g.strike("s1"), false);
    now += 6000;
    assert.equal(g.strike("s1"), false);
    now += 6000; // the first strike has left the window
    assert.equal(g.strike("s1"), false);
    assert.equal(g.strike("s1"), true);
    assert.equal(g.strike("s2"), false, "subjects are counted apart");
  });
});

describe("XSS payloads are stored and echoed as inert text", function () {
  this.timeout(30_000);
  const server = useServer();

  const PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg/onload=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{constructor.constructor('alert(1)')()}}",
    "<a href=\"javascript:alert(1)\">x</a>",
  ];

  it("keeps every payload byte-for-byte as text in chat, player names, ship names and the battle name", async () => {
    const options = twoShipOptions({ name: PAYLOADS[0], gmName: PAYLOADS[1] });
    options.ships[0] = { ...options.ships[0]!, name: PAYLOADS[2]! };
    const gmRoom = await server().sdk().create("battle", options);
    const gm = new SeatClient(gmRoom, "gm");
    await gm.seated();
    const player = new SeatClient(await server().sdk().joinById(gmRoom.roomId, { name: PAYLOADS[3], shipId: "p1", positions: ["pilot"] }), "p");
    await player.seated();
    PAYLOADS.forEach((text, i) => player.room.send("chat", { cid: `payload-${i}`, text }));
    await gm.until((s) => s.chat.length === PAYLOADS.length, 5000, "every chat line");
    assert.deepEqual([...gm.state.chat].map((l: any) => l.text), PAYLOADS, "chat text arrives exactly as typed (the client renders it with textContent)");
    assert.equal(gm.state.name, PAYLOADS[0]);
    assert.equal(gm.state.ships.get("p1").name, PAYLOADS[2]);
    const names = [...gm.state.crew.values()].map((m: any) => m.name);
    assert.ok(names.includes(PAYLOADS[1]) && names.includes(PAYLOADS[3]), JSON.stringify(names));
    const res = await fetch(`http://127.0.0.1:${server().port}/api/battles`);
    assert.match(String(res.headers.get("content-type")), /^application\/json/, "the HTTP listing is JSON, never HTML");
    assert.equal((await res.json() as { name: string }[]).find((b) => b.name === PAYLOADS[0])?.name, PAYLOADS[0]);
  });

  it("cleans bidi overrides out of a chat line before anyone receives it", async () => {
    const { gm, player } = await gmAndPlayer(server());
    player.room.send("chat", { cid: "bidi", text: "pay \u202Eecnarusni\u202C now" });
    await gm.until((s) => s.chat.length === 1, 5000, "the chat line");
    assert.equal(gm.state.chat[0].text, "pay ecnarusni now");
  });
});
