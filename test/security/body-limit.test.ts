// Every HTTP route refuses a body over MAX_HTTP_BODY_BYTES (64 KiB) with 413 before it is read:
// a 32 MB join used to be buffered whole (server RSS +96 MB for one, +165 MB for four at once).
// The server runs in this process; the client streams the body from one reused 64 KiB buffer, so
// its own memory does not grow with the body.
import assert from "node:assert/strict";
import http from "node:http";
import { gmAndPlayer, twoShipOptions } from "../../harness/battles";
import { createBattle } from "../../harness/raw-http";
import { useServer } from "../support/use-server";

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

/** Sends `total` bytes (declared, or chunked when `declare` is false); resolves with the status and how much was written before it came. */
function bigPost(port: number, path: string, total: number, declare: boolean): Promise<{ status: number; body: string; sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (declare) headers["content-length"] = String(total);
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path, headers, agent: false }, (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode!, body, sentBeforeAnswer }));
      res.on("error", () => resolve({ status: res.statusCode!, body, sentBeforeAnswer }));
    });
    // After the answer the server closes the connection: writes then fail, which is expected.
    req.on("error", (err) => { if (!answered) reject(err); });
    req.write("{\"name\":\"");
    const pump = () => {
      while (!answered && sent < total) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) { req.once("drain", pump); return; }
      }
      if (!answered) req.end("\"}");
    };
    pump();
  });
}

function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

describe("HTTP body-size limit", function () {
  this.timeout(60_000);
  const server = useServer({}, { humanLimits: true });
  let roomId: string;
  before(async () => {
    roomId = (await gmAndPlayer(server())).roomId;
  });

  it("answers a declared 32 MB join with 413 before reading it, and four at once leave RSS within 32 MB", async () => {
    const before = rssMb();
    const results = await Promise.all(Array.from({ length: 4 }, () => bigPost(server().port, `/matchmake/joinById/${roomId}`, 32 * MB, true)));
    const growth = rssMb() - before;
    for (const r of results) {
      assert.equal(r.status, 413);
      assert.deepEqual(JSON.parse(r.body), { error: "request body over 65536 bytes" });
      assert.ok(r.sentBeforeAnswer < 16 * MB, `answered after ${r.sentBeforeAnswer} bytes were sent`);
    }
    assert.ok(growth < 32, `RSS grew by ${growth.toFixed(1)} MB`);
  });

  it("cuts off a chunked 32 MB body once it passes the limit, on matchmaking and on every other route", async () => {
    for (const path of [`/matchmake/joinById/${roomId}`, "/matchmake/create/battle", "/api/battles", "/no/such/route", "/"]) {
      const before = rssMb();
      const r = await bigPost(server().port, path, 32 * MB, false);
      assert.equal(r.status, 413, path);
      assert.ok(r.sentBeforeAnswer < 16 * MB, `${path}: answered after ${r.sentBeforeAnswer} bytes were sent`);
      assert.ok(rssMb() - before < 32, `${path}: RSS grew by ${(rssMb() - before).toFixed(1)} MB`);
    }
  });

  it("still accepts the largest honest body: a create with 15 custom ships of 20 turrets each", async () => {
    const turret = { mount: "triple", weapon: "pulseLaser", missiles: 400, smartMissiles: 400, sand: 400 };
    const ship = (side: string, i: number) => ({ side, name: `Ship with a long name ${i}`.padEnd(40, "x"), className: "custom", custom: { tons: 5000, armour: 15, thrust: 9, hull: 2000, structure: 2000, turrets: Array(20).fill(turret) } });
    const options = twoShipOptions({ name: "A battle name that is sixty characters long, or nearly so...", ships: [...Array.from({ length: 5 }, (_, i) => ship("players", i)), ...Array.from({ length: 10 }, (_, i) => ship("npc", i))] });
    const body = JSON.stringify(options);
    assert.ok(body.length > 24 * 1024 && body.length < 65_536, `${body.length} bytes`);
    const res = await createBattle(server().port, options);
    assert.equal(res.status, 200, res.body);
  });
});
