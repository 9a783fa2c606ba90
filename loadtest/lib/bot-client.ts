// One bot's connection to a battle: the protocol session (src/commands/session.ts) plus what a
// load run measures of it: commands sent, acknowledged, refused, timed out and answered late,
// the ack round trip, and command -> patch latency at every decoding client of the battle.
// A frame-level bot (`--decode-sample`, ./frame-level-client.ts) does not decode the state: it
// reads the battle's decoding client (its `reader`, the GM) to decide, and its own commands'
// ack round trip is its latency sample.
import type { Room } from "@colyseus/sdk";
import { ProtocolSession, type Reply, type SeatReply } from "../../src/commands";
import type { Metrics } from "./metrics";
import { countBytes } from "./byte-counter";

export type { Reply };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One battle of a group: the clients in it, for fanning out latency measurements. */
export class BattleRun {
  clients = new Set<BotClient>();
  /** The GM's client, which decodes the state in every battle: what frame-level players read. */
  reader?: BotClient;
  joinsSettled = 0;
  joinsOk = 0;
  private settleWaiters: (() => void)[] = [];
  constructor(readonly gen: number, readonly roomId: string) {}
  settleJoin(ok: boolean) {
    this.joinsSettled++;
    if (ok) this.joinsOk++;
    this.settleWaiters.splice(0).forEach((w) => w());
  }
  /** Until `expected` joins settled, the time is up or (checked once a second) the run stopped. */
  async waitJoins(expected: number, timeoutMs: number, stopped: () => boolean) {
    const deadline = Date.now() + timeoutMs;
    while (this.joinsSettled < expected && Date.now() < deadline && !stopped()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(1000, deadline - Date.now()));
        function done() { clearTimeout(timer); resolve(); }
        this.settleWaiters.push(done);
      });
    }
  }
}

/** One SDK room connection with command bookkeeping, version tracking and byte counting. */
export class BotClient {
  /** The newest state version decoded (stays 0 at a frame-level client). */
  version = 0;
  /** Our own connection is gone (left, or closed for good). */
  closed = false;
  /** We asked to leave: the close that follows is not an error. */
  leaving = false;
  /** False at a frame-level client: its room has no decoded state (./frame-level-client.ts). */
  readonly decodes: boolean;
  /** Whose decoded state this bot plays by: itself, or (frame-level) the battle's GM. */
  readonly reader: BotClient;
  private history: { v: number; t: number }[] = [];
  private pendingVersions: { v: number; sentAt: number }[] = [];
  private readonly session: ProtocolSession;
  /** Our commands with no reply yet, including those whose deadline passed: a reply may still come. */
  private ownCids = new Set<string>();
  private drainWaiters = new Set<() => void>();

  /** `reader`: the battle's decoding client, for a bot whose room does not decode (FrameLevelClient). */
  constructor(readonly room: Room<any, any>, readonly label: string, readonly metrics: Metrics, readonly run: BattleRun, reader?: BotClient) {
    this.decodes = !reader;
    this.reader = reader ?? this;
    metrics.clients++;
    metrics.connections[this.decodes ? "decoding" : "frameLevel"]++;
    run.clients.add(this);
    this.session = new ProtocolSession(label, {
      onError: (e) => { if (!e.cid) metrics.count(metrics.otherErrors, `error:${e.code}`); },
      onReply: (cid, reply, late) => this.measure(cid, reply, late),
    });
    this.session.attach(room);
    if (this.decodes) {
      room.onStateChange((state: any) => {
        const v = state?.version ?? 0;
        if (v > this.version) this.onVersion(v);
      });
    }
    room.onDrop(() => { metrics.drops++; });
    room.onReconnect?.(() => { metrics.reconnects++; });
    room.onError((code: number) => metrics.count(metrics.otherErrors, `roomError:${code}`));
    room.onLeave((code: number) => {
      this.closed = true;
      metrics.clients--;
      run.clients.delete(this);
      this.pendingVersions = [];
      if (!this.leaving) metrics.count(metrics.disconnects, String(code));
      this.session.close();
      this.wakeDrainWaiters();
    });
    countBytes(room, metrics);
  }

  get seat(): SeatReply | undefined {
    return this.session.seat;
  }

  /** The decoded state this bot plays by (its reader's, at a frame-level bot). */
  get state(): any {
    return this.reader.room.state;
  }

  /** Nothing more to play: this connection, or the connection whose state it reads, is gone. */
  get left(): boolean {
    return this.closed || this.reader.closed;
  }

  /** Decoded state changes seen so far (see `nextChange`); the reader's, at a frame-level bot. */
  get changes(): number {
    return this.reader.session.changes;
  }

  seated(timeoutMs = 10_000): Promise<SeatReply | undefined> {
    return this.session.seated(timeoutMs);
  }

  /** Resolves when the predicate holds on the decoded state (true), or the reader left or time is up (false). */
  until(pred: (s: any) => boolean, timeoutMs: number): Promise<boolean> {
    return this.reader.session.until(pred, timeoutMs);
  }

  /** Resolves after the next decoded state change past `seen` (see `changes`), a leave, or the timeout. */
  nextChange(seen: number, timeoutMs: number): Promise<void> {
    return this.reader.session.nextChange(seen, timeoutMs);
  }

  /**
   * Sends a command with a fresh cid; resolves with its reply, or `timeout`. At a frame-level bot
   * an ack resolves once the reader decoded the ack's version too (the patch comes before the ack
   * on a decoding client's own socket, not on another one's): the bot's next decision then sees the
   * result of this command, as a decoding bot's would.
   */
  async command(type: string, payload: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    if (this.left) return { kind: "timeout" };
    const sentAt = performance.now();
    const { cid, reply } = this.session.request(type, payload, timeoutMs);
    this.metrics.cmds.sent++;
    this.metrics.outstanding.set(cid, { sentAt, type });
    this.ownCids.add(cid);
    const r = await reply;
    // a deadline passed (a leave ends the wait too, but is no time-out)
    if (r.kind === "timeout" && !this.closed) this.metrics.cmds.timedOut++;
    if (r.kind === "ack" && !this.decodes && this.reader.version < r.ack.version) {
      await this.reader.session.until((s) => (s?.version ?? 0) >= r.ack.version, timeoutMs);
    }
    return r;
  }

  /** Number of our commands still unanswered (timed out or not). */
  get unanswered(): number {
    return this.ownCids.size;
  }

  /** Resolves true once every command we sent is answered, false if our connection closed first or time is up. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.ownCids.size === 0) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      // woken when the last reply comes or the connection closes (see wakeDrainWaiters)
      const done = () => { this.drainWaiters.delete(done); clearTimeout(timer); resolve(this.ownCids.size === 0); };
      const timer = setTimeout(done, timeoutMs);
      this.drainWaiters.add(done);
    });
  }

  async leave(): Promise<void> {
    if (this.closed) return;
    this.leaving = true;
    await Promise.race([this.room.leave(true).catch(() => undefined), sleep(5000)]);
  }

  private wakeDrainWaiters() {
    for (const w of [...this.drainWaiters]) w();
  }

  private measure(cid: string, reply: Reply, late: boolean) {
    const m = this.metrics;
    const out = m.outstanding.get(cid);
    if (!out) { m.count(m.otherErrors, "unmatchedReply"); return; }
    m.outstanding.delete(cid);
    this.ownCids.delete(cid);
    const now = performance.now();
    if (reply.kind === "ack") {
      m.cmds.acked++;
      if (!m.frozen) m.ackRtt.record(now - out.sentAt);
      // decoding clients note when their state reaches the ack's version; a frame-level sender
      // counts its ack, which the server sends after that version's patch on the same socket
      for (const c of this.run.clients) if (c.decodes) c.observe(reply.ack.version, out.sentAt);
      if (!this.decodes) m.recordLatency(now - out.sentAt, true);
    } else if (reply.kind === "error") {
      m.cmds.refused++;
      m.count(m.refusedByCode, reply.error.code);
    }
    if (late) m.cmds.lateReplies++;
    if (this.ownCids.size === 0) this.wakeDrainWaiters();
  }

  /** Records latency once this client's decoded state reaches version `v`. */
  private observe(v: number, sentAt: number) {
    if (this.version >= v) {
      let t: number | undefined;
      for (const h of this.history) if (h.v >= v) { t = h.t; break; }
      this.metrics.recordLatency(Math.max(0, (t ?? this.history[0]?.t ?? performance.now()) - sentAt));
    } else {
      this.pendingVersions.push({ v, sentAt });
    }
  }

  private onVersion(v: number) {
    const now = performance.now();
    this.version = v;
    this.history.push({ v, t: now });
    if (this.history.length > 256) this.history.splice(0, this.history.length - 256);
    if (this.pendingVersions.length) {
      const keep: { v: number; sentAt: number }[] = [];
      for (const p of this.pendingVersions) {
        if (p.v <= v) this.metrics.recordLatency(now - p.sentAt);
        else keep.push(p);
      }
      this.pendingVersions = keep;
    }
  }
}
