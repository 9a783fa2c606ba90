// NetSim: a small userspace TCP proxy that simulates bad networks between clients (Colyseus SDK
// WebSockets) and a server, for tests and load-test runners. Kernel shaping (tc netem) is not
// available, so we delay whole TCP chunks instead of packets. It never drops or reorders bytes
// (that would corrupt the stream): loss is modelled as a retransmission delay. See docs/netsim.md.
import net from "node:net";
import { performance } from "node:perf_hooks";

export interface NetConditions {
  /** One-way delay added to every chunk, per direction (RTT grows by 2x this). */
  latencyMs?: number;
  /** Uniform jitter in [-jitter, +jitter] added to the latency (order is still preserved). */
  jitterMs?: number;
  /** Probability (0..100) that a chunk is "lost" and so delayed by lossPenaltyMs (a retransmission). */
  lossPercent?: number;
  /** Extra delay of a lost chunk; default 200 ms (a typical minimum RTO). */
  lossPenaltyMs?: number;
  /** Throughput cap per direction per connection (token bucket); 0/undefined = unlimited. */
  bandwidthBytesPerSec?: number;
  /** Token bucket size for the bandwidth cap; default min(16 KB, cap / 10), at least 1500 bytes. */
  burstBytes?: number;
}

export interface NetSimOptions {
  targetHost?: string;
  targetPort: number;
  listenHost?: string;
  listenPort?: number;
  conditions?: NetConditions;
  /** PRNG seed (jitter, loss); default 1. Each connection/direction derives its own stream from it. */
  seed?: number;
  /** Pause a source socket when this many bytes wait for delivery in one direction; default 4 MB. */
  highWaterBytes?: number;
}

/** A live proxied connection (the object stays valid; its counters are live). */
export interface ProxiedConnection {
  readonly id: number;
  /** Date.now() at accept. */
  readonly openedAt: number;
  /** The client's address/port as seen by the proxy. */
  readonly clientAddress: string;
  readonly clientPort: number;
  /** Local port of the proxy->target socket, i.e. the remote port the server sees (once connected). */
  readonly targetLocalPort: number | undefined;
  /** Bytes delivered client->server (up) and server->client (down). */
  readonly bytesUp: number;
  readonly bytesDown: number;
  /** Bytes received but not yet delivered, per direction. */
  readonly queuedUp: number;
  readonly queuedDown: number;
  /** True if this connection is black-holed on its own (see NetSim.blackhole). */
  readonly blackholed: boolean;
  readonly closed: boolean;
  /** Abruptly destroy both sides (counts as a cut). */
  cut(): void;
}

export interface NetSimStats {
  /** Live connections. */
  connections: number;
  /** Connections accepted since start / refused while paused. */
  accepted: number;
  refused: number;
  /** Bytes delivered, all connections, since start. */
  bytesUp: number;
  bytesDown: number;
  /** Chunks queued through the shaper, and how many of them took the loss penalty. */
  chunks: number;
  lossEvents: number;
  /** Connections destroyed by cut()/cutAll(). */
  cuts: number;
}

const DEFAULT_HIGH_WATER = 4 * 1024 * 1024;
const DEFAULT_LOSS_PENALTY_MS = 200;

export interface ResolvedConditions {
  latencyMs: number; jitterMs: number; lossPercent: number; lossPenaltyMs: number;
  bandwidthBytesPerSec: number; burstBytes: number; shaped: boolean;
}

function resolveConditions(c: NetConditions = {}): ResolvedConditions {
  const num = (name: keyof NetConditions, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`NetSim: ${name} must be a finite number >= 0 (got ${v})`);
    return v;
  };
  const latencyMs = num("latencyMs", c.latencyMs, 0);
  const jitterMs = num("jitterMs", c.jitterMs, 0);
  const lossPercent = num("lossPercent", c.lossPercent, 0);
  if (lossPercent > 100) throw new RangeError(`NetSim: lossPercent must be <= 100 (got ${lossPercent})`);
  const lossPenaltyMs = num("lossPenaltyMs", c.lossPenaltyMs, DEFAULT_LOSS_PENALTY_MS);
  const bandwidthBytesPerSec = num("bandwidthBytesPerSec", c.bandwidthBytesPerSec, 0);
  const burstBytes = num("burstBytes", c.burstBytes, Math.max(1500, Math.min(16 * 1024, bandwidthBytesPerSec / 10)));
  const shaped = latencyMs > 0 || jitterMs > 0 || lossPercent > 0 || bandwidthBytesPerSec > 0;
  return { latencyMs, jitterMs, lossPercent, lossPenaltyMs, bandwidthBytesPerSec, burstBytes, shaped };
}

/** mulberry32: tiny, fast, good enough for simulation. Returns floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Abrupt close: RST when possible, plain destroy otherwise. Never throws. */
function hardClose(s: net.Socket): void {
  if (s.destroyed) return;
  try {
    if (typeof s.resetAndDestroy === "function" && !s.pending) s.resetAndDestroy();
    else s.destroy();
  } catch {
    s.destroy();
  }
}

interface Chunk { buf: Buffer; deliverAt: number }

/** One direction of a connection: a delivery queue drained by a single timer. */
class Pipe {
  private q: (Chunk | undefined)[] = [];
  private head = 0;
  queued = 0;
  delivered = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastDeliverAt = 0;
  private tat = 0; // bandwidth: theoretical arrival time (GCRA form of a token bucket), ms
  private srcEnded = false;
  ended = false; // dst.end() called
  dead = false; // no more delivery (cut, error, or dst gone)
  private srcPaused = false;
  reverse!: Pipe;

  constructor(
    private readonly conn: Conn,
    private readonly src: net.Socket,
    private readonly dst: net.Socket,
    private readonly rand: () => number,
    private readonly up: boolean,
  ) {}

  private held(): boolean { return this.conn.held(); }

  push(buf: Buffer): void {
    if (this.dead || this.ended) return;
    const c = this.conn.sim.currentConditions();
    const now = performance.now();
    if (!c.shaped && this.head >= this.q.length && !this.held() && now >= this.lastDeliverAt) {
      this.write(buf); // fast path: no shaping, nothing queued
      this.updateFlow();
      return;
    }
    const bw = c.bandwidthBytesPerSec;
    // With a cap, slice big chunks so delivery is progressive rather than one late burst.
    const slice = bw > 0 ? Math.max(1024, Math.min(16 * 1024, Math.floor(bw / 20))) : buf.length;
    for (let off = 0; off < buf.length; off += slice) {
      const part = slice >= buf.length ? buf : buf.subarray(off, Math.min(buf.length, off + slice));
      let t = now;
      if (bw > 0) {
        const tau = (c.burstBytes * 1000) / bw;
        const start = Math.max(now, this.tat - tau);
        this.tat = Math.max(this.tat, start) + (part.length * 1000) / bw;
        t = start;
      }
      let at = t + c.latencyMs;
      if (c.jitterMs > 0) at += (this.rand() * 2 - 1) * c.jitterMs;
      if (c.lossPercent > 0 && this.rand() * 100 < c.lossPercent) {
        at += c.lossPenaltyMs;
        this.conn.sim.noteLoss();
      }
      at = Math.max(at, now, this.lastDeliverAt); // TCP is ordered: never overtake an earlier chunk
      this.lastDeliverAt = at;
      this.q.push({ buf: part, deliverAt: at });
      this.queued += part.length;
      this.conn.sim.noteChunk();
    }
    if (!this.timer) this.pump();
    else this.updateFlow();
  }

  /** Source sent FIN: end dst once everything queued is delivered. */
  srcEnd(): void {
    this.srcEnded = true;
    if (!this.timer) this.pump();
  }

  /** Deliver what is due; arm one timer for the next chunk. */
  pump(): void {
    if (this.dead) return;
    if (this.held()) { this.updateFlow(); return; }
    const now = performance.now() + 1; // timers may fire up to ~1 ms "early" w.r.t. performance.now()
    while (this.head < this.q.length) {
      const c = this.q[this.head] as Chunk;
      if (c.deliverAt > now) break;
      this.q[this.head++] = undefined;
      this.queued -= c.buf.length;
      this.write(c.buf);
      if (this.dead) return;
    }
    if (this.head >= this.q.length) {
      this.q = [];
      this.head = 0;
      this.maybeEnd();
    } else {
      if (this.head > 1024 && this.head * 2 > this.q.length) { this.q = this.q.slice(this.head); this.head = 0; }
      if (!this.timer) {
        const next = this.q[this.head] as Chunk;
        this.timer = setTimeout(this.onTimer, Math.max(1, Math.ceil(next.deliverAt - performance.now())));
      }
    }
    this.updateFlow();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.pump();
  };

  private write(buf: Buffer): void {
    if (this.dst.destroyed || !this.dst.writable) { this.kill(); return; }
    this.dst.write(buf);
    this.delivered += buf.length;
    this.conn.sim.noteBytes(this.up, buf.length);
  }

  private maybeEnd(): void {
    if (!this.srcEnded || this.ended || this.dead) return;
    this.ended = true;
    if (this.dst.destroyed) return;
    this.dst.end();
    // If the other side is already gone, nobody will read dst any more: close it once flushed.
    if (this.reverse.dead) this.destroyDstWhenFinished();
  }

  destroyDstWhenFinished(): void {
    if (this.dst.destroyed) return;
    if (this.dst.writableFinished) this.dst.destroy();
    else this.dst.once("finish", () => this.dst.destroy());
  }

  /** Backpressure: stop reading src while too much waits for delivery in this direction. */
  updateFlow(): void {
    if (this.src.destroyed) return;
    const pending = this.queued + this.dst.writableLength;
    const high = this.conn.sim.highWater;
    if (!this.srcPaused && pending > high) {
      this.srcPaused = true;
      this.src.pause();
    } else if (this.srcPaused && pending < high / 4) {
      this.srcPaused = false;
      this.src.resume();
    }
  }

  kill(): void {
    this.dead = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.q = [];
    this.head = 0;
    this.queued = 0;
  }
}

class Conn implements ProxiedConnection {
  readonly openedAt = Date.now();
  readonly clientAddress: string;
  readonly clientPort: number;
  blackholed = false;
  closed = false;
  private readonly up: Pipe;
  private readonly down: Pipe;
  private openSockets = 2;
  private resolveClosed!: () => void;
  readonly whenClosed = new Promise<void>((r) => { this.resolveClosed = r; });

  constructor(readonly sim: NetSim, readonly id: number, private readonly client: net.Socket, private readonly target: net.Socket, seed: number) {
    this.clientAddress = client.remoteAddress ?? "";
    this.clientPort = client.remotePort ?? 0;
    const base = (seed ^ Math.imul(id, 0x9e3779b1)) | 0;
    this.up = new Pipe(this, client, target, prng(base ^ 0x85ebca6b), true);
    this.down = new Pipe(this, target, client, prng(base ^ 0xc2b2ae35), false);
    this.up.reverse = this.down;
    this.down.reverse = this.up;

    client.setNoDelay(true);
    target.setNoDelay(true);
    client.on("data", (b: Buffer) => this.up.push(b));
    target.on("data", (b: Buffer) => this.down.push(b));
    client.on("end", () => this.up.srcEnd());
    target.on("end", () => this.down.srcEnd());
    client.on("drain", () => this.down.updateFlow());
    target.on("drain", () => this.up.updateFlow());
    // Any socket error (ECONNRESET, EPIPE, ECONNREFUSED to the target...) tears the pair down abruptly.
    client.on("error", () => this.abort());
    target.on("error", () => this.abort());
    client.on("close", () => this.onSocketClose(client));
    target.on("close", () => this.onSocketClose(target));
  }

  get bytesUp(): number { return this.up.delivered; }
  get bytesDown(): number { return this.down.delivered; }
  get queuedUp(): number { return this.up.queued; }
  get queuedDown(): number { return this.down.queued; }
  get targetLocalPort(): number | undefined { return this.target.localPort; }

  held(): boolean { return this.blackholed || this.sim.isBlackholed(); }

  cut(): void {
    if (this.closed) return;
    this.sim.noteCut();
    this.abort();
  }

  /** Abrupt teardown of both sides; queued data is discarded. */
  abort(): void {
    this.up.kill();
    this.down.kill();
    hardClose(this.client);
    hardClose(this.target);
  }

  release(): void {
    this.up.pump();
    this.down.pump();
  }

  private onSocketClose(s: net.Socket): void {
    const from = s === this.client ? this.up : this.down; // data coming from s
    const toward = from.reverse; // data going to s: nobody left to read it
    toward.kill();
    if (!from.dead) {
      from.srcEnd(); // flush what s sent, then end the other side
      if (from.ended) from.destroyDstWhenFinished();
    }
    if (--this.openSockets === 0) {
      this.closed = true;
      this.up.kill();
      this.down.kill();
      this.sim.forget(this);
      this.resolveClosed();
    }
  }
}

export class NetSim {
  private server: net.Server;
  private conns = new Map<number, Conn>();
  private conditions: ResolvedConditions;
  private nextId = 1;
  private paused = false;
  private blackholeAll = false;
  private closing: Promise<void> | null = null;
  private readonly st = { accepted: 0, refused: 0, bytesUp: 0, bytesDown: 0, chunks: 0, lossEvents: 0, cuts: 0 };
  readonly port: number;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly highWater: number;
  private readonly seed: number;

  private constructor(server: net.Server, opts: NetSimOptions) {
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    this.targetHost = opts.targetHost ?? "127.0.0.1";
    this.targetPort = opts.targetPort;
    this.highWater = opts.highWaterBytes ?? DEFAULT_HIGH_WATER;
    this.seed = opts.seed ?? 1;
    this.conditions = resolveConditions(opts.conditions);
    server.on("connection", (s) => this.accept(s));
    server.on("error", () => { /* accept errors (EMFILE...) must not crash the process */ });
  }

  static start(opts: NetSimOptions): Promise<NetSim> {
    resolveConditions(opts.conditions); // validate early
    return new Promise((resolve, reject) => {
      const server = net.createServer({ allowHalfOpen: true });
      const onError = (err: Error) => reject(err);
      server.once("error", onError);
      server.listen(opts.listenPort ?? 0, opts.listenHost ?? "127.0.0.1", () => {
        server.off("error", onError);
        resolve(new NetSim(server, opts));
      });
    });
  }

  /** Replaces the conditions (unset fields fall back to defaults). Applies to chunks arriving from
   *  now on, on new and existing connections; chunks already queued keep their delivery time. */
  setConditions(c: NetConditions): void {
    this.conditions = resolveConditions(c);
  }

  currentConditions(): Readonly<ResolvedConditions> { return this.conditions; }

  /** Stop accepting: new connections are reset at once (existing ones are untouched). */
  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; }

  /** Black hole: bytes (and FINs) are held, not delivered, while TCP stays open (a dead link).
   *  Without predicate: every connection, present and future. With one: only the matching live
   *  connections (returns how many). Turning it off delivers everything held, in order. */
  blackhole(on: boolean, predicate?: (c: ProxiedConnection) => boolean): number {
    if (!predicate) {
      this.blackholeAll = on;
      if (!on) for (const c of this.conns.values()) c.release();
      return this.conns.size;
    }
    let n = 0;
    for (const c of [...this.conns.values()]) {
      if (c.closed || !predicate(c)) continue;
      c.blackholed = on;
      if (!on) c.release();
      n++;
    }
    return n;
  }

  isBlackholed(): boolean { return this.blackholeAll; }

  /** Abruptly destroys every live connection, both sides. Returns how many. */
  cutAll(): number { return this.cut(); }

  /** Abruptly destroys matching live connections (all if no predicate). Returns how many. */
  cut(predicate?: (c: ProxiedConnection) => boolean): number {
    let n = 0;
    for (const c of [...this.conns.values()]) {
      if (c.closed || (predicate && !predicate(c))) continue;
      c.cut();
      n++;
    }
    return n;
  }

  connections(): ProxiedConnection[] { return [...this.conns.values()]; }

  stats(): NetSimStats { return { connections: this.conns.size, ...this.st }; }

  /** Closes the listener and every connection; resolves when all sockets are closed. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const listenerClosed = new Promise<void>((r) => this.server.close(() => r()));
    const conns = [...this.conns.values()];
    for (const c of conns) c.abort();
    this.closing = Promise.all([listenerClosed, ...conns.map((c) => c.whenClosed)]).then(() => undefined);
    return this.closing;
  }

  // ---- internal ----
  private accept(client: net.Socket): void {
    client.on("error", () => { /* handled by the connection, or ignored if refused */ });
    if (this.paused || this.closing) {
      this.st.refused++;
      hardClose(client);
      return;
    }
    this.st.accepted++;
    const target = net.connect({ host: this.targetHost, port: this.targetPort, allowHalfOpen: true });
    const conn = new Conn(this, this.nextId++, client, target, this.seed);
    this.conns.set(conn.id, conn);
  }

  forget(c: Conn): void { this.conns.delete(c.id); }
  noteBytes(up: boolean, n: number): void { if (up) this.st.bytesUp += n; else this.st.bytesDown += n; }
  noteChunk(): void { this.st.chunks++; }
  noteLoss(): void { this.st.lossEvents++; }
  noteCut(): void { this.st.cuts++; }
}
