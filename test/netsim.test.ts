// Behaviour of the userspace network simulator (harness/netsim.ts) over real loopback sockets.
// Timing assertions are lower bounds only: machines are noisy.
import assert from "node:assert/strict";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { NetSim } from "../harness/netsim";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Echo { server: net.Server; port: number; sockets: Set<net.Socket>; bytesIn: () => number; close(): Promise<void> }

/** Echo server that counts its live connections and received bytes. */
async function startEcho(): Promise<Echo> {
  const sockets = new Set<net.Socket>();
  let bytesIn = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("data", (b) => { bytesIn += b.length; });
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    server, sockets, bytesIn: () => bytesIn,
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** A client socket that records everything received and how it ended. */
interface Client { sock: net.Socket; received: () => Buffer; closed: Promise<void>; isClosed: () => boolean; error: () => Error | undefined }
function connect(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let err: Error | undefined;
    let isClosed = false;
    const sock = net.connect({ host: "127.0.0.1", port });
    const closed = new Promise<void>((r) => sock.on("close", () => { isClosed = true; r(); }));
    sock.on("data", (b) => chunks.push(b));
    sock.on("error", (e) => { err = e; });
    sock.once("connect", () => resolve({ sock, received: () => Buffer.concat(chunks), closed, isClosed: () => isClosed, error: () => err }));
    sock.once("error", reject);
  });
}

async function until(cond: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Sends `msg` and resolves once `total` bytes have been echoed back. */
async function roundTrip(c: Client, msg: Buffer): Promise<number> {
  const before = c.received().length;
  const t0 = performance.now();
  c.sock.write(msg);
  await until(() => c.received().length >= before + msg.length, 5000, "echo");
  return performance.now() - t0;
}

describe("NetSim (userspace TCP proxy)", function () {
  this.timeout(10000);
  let echo: Echo;
  let sim: NetSim | undefined;
  const clients: Client[] = [];

  beforeEach(async () => { echo = await startEcho(); });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.sock.destroy();
    if (sim) await sim.close();
    sim = undefined;
    await echo.close();
  });
  async function client(): Promise<Client> {
    const c = await connect(sim!.port);
    clients.push(c);
    return c;
  }

  it("passes 2,000 numbered chunks byte-identical and in order under latency + jitter + loss", async () => {
    sim = await NetSim.start({ targetPort: echo.port, seed: 42, conditions: { latencyMs: 20, jitterMs: 15, lossPercent: 5, lossPenaltyMs: 40 } });
    const c = await client();
    c.sock.setNoDelay(true);
    const sent: Buffer[] = [];
    for (let i = 0; i < 2000; i++) {
      const len = 4 + ((i * 7919) % 300);
      const b = Buffer.alloc(len);
      b.writeUInt32BE(i, 0);
      for (let k = 4; k < len; k++) b[k] = (i + k) & 0xff;
      sent.push(b);
      c.sock.write(b);
      // Spread the writes so the proxy sees many separate chunks (not one coalesced blob).
      await new Promise<void>((r) => setImmediate(r));
      if (i % 50 === 49) await sleep(1);
    }
    const expected = Buffer.concat(sent);
    await until(() => c.received().length >= expected.length, 8000, "all echoed bytes");
    const got = c.received();
    assert.equal(got.length, expected.length);
    // Walk the numbered chunks so a failure names the first one out of place.
    let off = 0;
    for (let i = 0; i < sent.length; i++) {
      assert.equal(got.readUInt32BE(off), i, `chunk ${i} out of order`);
      off += (sent[i] as Buffer).length;
    }
    assert.ok(got.equals(expected), "content differs");
    const st = sim.stats();
    assert.ok(st.chunks > 100, `expected many shaped chunks, got ${st.chunks}`);
    assert.ok(st.lossEvents > 0, "the loss model was never exercised");
    assert.equal(st.bytesUp, expected.length);
    assert.equal(st.bytesDown, expected.length);
    console.log(`      chunks shaped ${st.chunks}, loss events ${st.lossEvents}, bytes ${st.bytesUp} up / ${st.bytesDown} down`);
  });

  it("200 ms latency makes a round trip take at least ~400 ms", async () => {
    sim = await NetSim.start({ targetPort: echo.port, conditions: { latencyMs: 200 } });
    const c = await client();
    const rtt = await roundTrip(c, Buffer.from("ping"));
    console.log(`      rtt ${rtt.toFixed(0)} ms`);
    assert.ok(rtt >= 395, `round trip ${rtt.toFixed(1)} ms is shorter than 2 x 200 ms`);
    // And conditions can be changed on a live connection.
    sim.setConditions({});
    const fast = await roundTrip(c, Buffer.from("pong"));
    assert.ok(fast < 395, `after clearing conditions the round trip still took ${fast.toFixed(1)} ms`);
  });

  it("a 50 KB/s cap makes 100 KB take at least ~1.5 s", async () => {
    sim = await NetSim.start({ targetPort: echo.port, conditions: { bandwidthBytesPerSec: 50_000 } });
    const c = await client();
    const t0 = performance.now();
    c.sock.write(Buffer.alloc(100_000, 7));
    await until(() => echo.bytesIn() >= 100_000, 8000, "100 KB at the server");
    const took = performance.now() - t0;
    console.log(`      100 KB upstream in ${took.toFixed(0)} ms`);
    assert.ok(took >= 1500, `100 KB passed in ${took.toFixed(0)} ms, faster than 50 KB/s allows`);
  });

  it("cutAll() destroys every live connection, both sides", async () => {
    sim = await NetSim.start({ targetPort: echo.port });
    const cs = [await client(), await client(), await client()];
    for (const c of cs) await roundTrip(c, Buffer.from("hi"));
    assert.equal(sim.stats().connections, 3);
    assert.equal(echo.sockets.size, 3);
    assert.equal(sim.cutAll(), 3);
    await Promise.all(cs.map((c) => c.closed));
    await until(() => echo.sockets.size === 0, 3000, "server side closed");
    await until(() => sim!.stats().connections === 0, 3000, "proxy forgot its connections");
    assert.equal(sim.stats().cuts, 3);
  });

  it("cut(predicate) cuts only the matching connections", async () => {
    sim = await NetSim.start({ targetPort: echo.port });
    const cs = [await client(), await client(), await client()];
    for (const c of cs) await roundTrip(c, Buffer.from("hi"));
    const victim = cs[1] as Client;
    const n = sim.cut((pc) => pc.clientPort === victim.sock.localPort);
    assert.equal(n, 1);
    await victim.closed;
    await until(() => echo.sockets.size === 2, 3000, "one server connection closed");
    for (const c of [cs[0], cs[2]] as Client[]) {
      assert.equal(c.isClosed(), false);
      await roundTrip(c, Buffer.from("still here"));
    }
    assert.equal(sim.stats().cuts, 1);
    assert.equal(sim.connections().length, 2);
  });

  it("blackhole holds data (TCP stays open) and delivers it, in order, when turned off", async () => {
    sim = await NetSim.start({ targetPort: echo.port });
    const c = await client();
    await roundTrip(c, Buffer.from("warm-up"));
    const inBefore = echo.bytesIn();
    sim.blackhole(true);
    c.sock.write("hello ");
    c.sock.write("world");
    await sleep(300);
    assert.equal(echo.bytesIn(), inBefore, "server received bytes through a black hole");
    assert.equal(c.received().toString(), "warm-up");
    assert.equal(c.isClosed(), false);
    assert.equal(sim.connections()[0]?.queuedUp, 11);
    sim.blackhole(false);
    await until(() => c.received().length === "warm-uphello world".length, 3000, "held data");
    assert.equal(c.received().toString(), "warm-uphello world");
  });

  it("blackhole(on, predicate) holds only the matching connections", async () => {
    sim = await NetSim.start({ targetPort: echo.port });
    const a = await client();
    const b = await client();
    await roundTrip(a, Buffer.from("a"));
    await roundTrip(b, Buffer.from("b"));
    assert.equal(sim.blackhole(true, (pc) => pc.clientPort === a.sock.localPort), 1);
    a.sock.write("A");
    await roundTrip(b, Buffer.from("B")); // b is unaffected
    await sleep(100);
    assert.equal(a.received().toString(), "a");
    sim.blackhole(false, () => true);
    await until(() => a.received().toString() === "aA", 3000, "a released");
  });

  it("applies backpressure: a held direction stops reading its source near 4 MB", async () => {
    sim = await NetSim.start({ targetPort: echo.port });
    const c = await client();
    sim.blackhole(true);
    const total = 16 * 1024 * 1024;
    c.sock.write(Buffer.alloc(total, 1));
    await sleep(300);
    const queued = sim.connections()[0]?.queuedUp ?? 0;
    assert.ok(queued > 0 && queued < 5 * 1024 * 1024, `proxy buffered ${queued} bytes`);
    assert.ok(c.sock.writableLength > 0, "the client should be backed up");
    sim.blackhole(false);
    await until(() => echo.bytesIn() >= total, 5000, "everything delivered after release");
    assert.equal(echo.bytesIn(), total);
  });

  it("flushes queued data before propagating a close", async () => {
    sim = await NetSim.start({ targetPort: echo.port, conditions: { latencyMs: 100 } });
    const c = await client();
    let ended = false;
    c.sock.on("end", () => { ended = true; });
    c.sock.end("last words"); // FIN right behind the data
    await c.closed;
    assert.equal(c.received().toString(), "last words");
    assert.ok(ended, "client did not see a clean end");
    await until(() => sim!.stats().connections === 0, 3000, "proxy connection closed");
  });

  it("pause() refuses new connections, resume() accepts again", async () => {
    sim = await NetSim.start({ targetPort: echo.port });
    sim.pause();
    // The proxy accepts then resets at once: depending on timing the client sees the connect
    // fail (ECONNRESET) or a connection that closes immediately. Either way nothing gets through.
    try {
      const c = await client();
      await c.closed;
    } catch (e) {
      assert.match(String(e), /ECONNRESET|EPIPE/);
    }
    await until(() => sim!.stats().refused === 1, 3000, "refusal counted");
    assert.equal(echo.sockets.size, 0);
    assert.equal(sim.stats().refused, 1);
    sim.resume();
    const d = await client();
    await roundTrip(d, Buffer.from("ok"));
  });

  it("an unreachable target closes the client without throwing", async () => {
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const deadPort = (dead.address() as net.AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    sim = await NetSim.start({ targetPort: deadPort });
    const c = await client();
    await c.closed;
    await until(() => sim!.stats().connections === 0, 3000, "proxy connection closed");
  });

  it("handles 200 concurrent connections", async () => {
    sim = await NetSim.start({ targetPort: echo.port, conditions: { latencyMs: 10, jitterMs: 5 } });
    const cs = await Promise.all(Array.from({ length: 200 }, () => client()));
    await Promise.all(cs.map((c, i) => roundTrip(c, Buffer.from(`conn ${i}`))));
    cs.forEach((c, i) => assert.equal(c.received().toString(), `conn ${i}`));
    assert.equal(sim.stats().connections, 200);
    assert.equal(echo.sockets.size, 200);
  });

  it("close() closes the listener and every connection", async () => {
    sim = await NetSim.start({ targetPort: echo.port, conditions: { latencyMs: 50 } });
    const cs = await Promise.all(Array.from({ length: 5 }, () => client()));
    for (const c of cs) await roundTrip(c, Buffer.from("x"));
    cs[0]?.sock.write("in flight"); // queued in the proxy when it closes
    const port = sim.port;
    await sim.close();
    assert.equal(sim.stats().connections, 0);
    await Promise.all(cs.map((c) => c.closed));
    await until(() => echo.sockets.size === 0, 3000, "server side closed");
    await assert.rejects(connect(port), /ECONNREFUSED/);
  });
});
