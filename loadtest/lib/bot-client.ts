// One bot's connection to a battle: the protocol session (src/commands/session.ts) plus what a
// load run measures of it: commands sent, acknowledged, refused, timed out and answered late,
// the ack round trip, and command -> patch latency at every client of the battle.
import type { Room } from "@colyseus/sdk";
import { ProtocolSession, type Reply, type SeatReply } from "../../src/commands";
import type { Metrics } from "./metrics";
import { countBytes } from "./byte-counter";

export type { Reply };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One battle of a group: the clients in it, for fanning out latency measurements. */
export class BattleRun {
  clients = new Set<BotClient>();
  joinsSettled = 0;
  joinsOk = 0;
  private settleWaiters: (() => void)[] = [];
  constructor(readonly gen: number, readonly roomId: string) {}
  settleJoin(ok: boolean) {
    this.joinsSettled++;
    if (ok) this.joinsOk++;
    this.settleWaiters.splice(0).forEach((w) => w());
  }
  async waitJoins(expected: number, timeoutMs: number, stopped: () => boolean) {
    const deadline = Date.now() + timeoutMs;
    while (this.joinsSettled < expected && Date.now() < deadline && !stopped()) {
      await Promise.race([new Promise<void>((r) => this.settleWaiters.push(r)), sleep(250)]);
    }
  }
}

/** One SDK room connection with command bookkeeping, version tracking and byte counting. */
export class BotClient {
  version = 0;
  left = false;
  /** We asked to leave: the close that follows is not an error. */
  leaving = false;
  private history: { v: number; t: number }[] = [];
  private pendingVersions: { v: number; sentAt: number }[] = [];
  private readonly session: ProtocolSession;
  /** Our commands with no reply yet, including those whose deadline passed: a reply may still come. */
  private ownCids = new Set<string>();

  constructor(readonly room: Room<any, any>, readonly label: string, readonly metrics: Metrics, readonly run: BattleRun) {
    metrics.clients++;
    run.clients.add(this);
    this.session = new ProtocolSession(label, {
      onError: (e) => { if (!e.cid) metrics.count(metrics.otherErrors, `error:${e.code}`); },
      onReply: (cid, reply, late) => this.measure(cid, reply, late),
    });
    this.session.attach(room);
    room.onStateChange((state: any) => {
      const v = state?.version ?? 0;
      if (v > this.version) this.onVersion(v);
    });
    room.onDrop(() => { metrics.drops++; });
    room.onReconnect?.(() => { metrics.reconnects++; });
    room.onError((code: number) => metrics.count(metrics.otherErrors, `roomError:${code}`));
    room.onLeave((code: number) => {
      this.left = true;
      metrics.clients--;
      run.clients.delete(this);
      this.pendingVersions = [];
      if (!this.leaving) metrics.count(metrics.disconnects, String(code));
      this.session.close();
    });
    countBytes(room, metrics);
  }

  get seat(): SeatReply | undefined {
    return this.session.seat;
  }

  get state(): any {
    return this.room.state;
  }

  /** Decoded state changes seen so far (see `nextChange`). */
  get changes(): number {
    return this.session.changes;
  }

  seated(timeoutMs = 10_000): Promise<SeatReply | undefined> {
    return this.session.seated(timeoutMs);
  }

  /** Resolves when the predicate holds on the decoded state (true), or the client left or time is up (false). */
  until(pred: (s: any) => boolean, timeoutMs: number): Promise<boolean> {
    return this.session.until(pred, timeoutMs);
  }

  /** Resolves after the next state change past `seen` (see `changes`), a leave, or the timeout. */
  nextChange(seen: number, timeoutMs: number): Promise<void> {
    return this.session.nextChange(seen, timeoutMs);
  }

  /** Sends a command with a fresh cid; resolves with its reply, or `timeout`. */
  async command(type: string, payload: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    if (this.left) return { kind: "timeout" };
    const sentAt = performance.now();
    const { cid, reply } = this.session.request(type, payload, timeoutMs);
    this.metrics.cmds.sent++;
    this.metrics.outstanding.set(cid, { sentAt, type });
    this.ownCids.add(cid);
    const r = await reply;
    // a deadline passed (a leave ends the wait too, but is no time-out)
    if (r.kind === "timeout" && !this.left) this.metrics.cmds.timedOut++;
    return r;
  }

  /** Number of our commands still unanswered (timed out or not). */
  get unanswered(): number {
    return this.ownCids.size;
  }

  async leave(): Promise<void> {
    if (this.left) return;
    this.leaving = true;
    await Promise.race([this.room.leave(true).catch(() => undefined), sleep(5000)]);
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
      for (const c of this.run.clients) c.observe(reply.ack.version, out.sentAt);
    } else if (reply.kind === "error") {
      m.cmds.refused++;
      m.count(m.refusedByCode, reply.error.code);
    }
    if (late) m.cmds.lateReplies++;
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
