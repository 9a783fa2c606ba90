// Counters shared by the bots of one process (one clock); worker processes send snapshots that
// the runner adds up.
import { Histogram, type HistogramData } from "./histogram";

export class Metrics {
  joins = { attempted: 0, ok: 0, failed: 0 };
  joinFailures: Record<string, number> = {};
  cmds = { sent: 0, acked: 0, refused: 0, timedOut: 0, lateReplies: 0 };
  refusedByCode: Record<string, number> = {};
  /** Unexpected closes (not a leave we asked for), by close code. */
  disconnects: Record<string, number> = {};
  /** Connection drops the SDK tried to recover from (onDrop), and how many came back. */
  drops = 0;
  reconnects = 0;
  /** Replies that matched no command of ours, error replies without a cid, room errors. */
  otherErrors: Record<string, number> = {};
  battles = { created: 0, started: 0, ended: 0, endedByGm: 0, active: 0 };
  clients = 0;
  /**
   * Connections opened, by what the client does with the state frames: decodes them with the SDK
   * (every client of a decoding battle, the GM of every battle), or only receives and counts them
   * (the players of the other battles, `--decode-sample`).
   */
  connections = { decoding: 0, frameLevel: 0 };
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  /** Every command -> patch sample: `latencyDecoded` and `latencyFrameLevel` together. */
  latency = new Histogram();
  /** Command sent -> the state version with its result decoded, at every decoding client of the battle. */
  latencyDecoded = new Histogram();
  /**
   * Command sent -> its ack, at a frame-level client that sent it: the server sends the ack after
   * the patch with the command's result, on the same socket, so it bounds that patch's arrival.
   */
  latencyFrameLevel = new Histogram();
  /** Every sample, as `latency`, reset every second for the timeline. */
  latencyWindow = new Histogram();
  /** Command sent -> its ack, at the acting client only. */
  ackRtt = new Histogram();
  /** Commands sent and not answered yet: cid -> send time (ms, performance.now()). */
  outstanding = new Map<string, { sentAt: number; type: string }>();
  /** Set when the run stops issuing new commands. */
  stopping = false;

  count(map: Record<string, number>, key: string, n = 1): void {
    map[key] = (map[key] ?? 0) + n;
  }

  /** Set after the grace period: nothing more is measured (the bots are leaving). */
  frozen = false;

  /** A command -> patch sample: seen in decoded state, or (`frameLevel`) the sender's ack round trip. */
  recordLatency(ms: number, frameLevel = false): void {
    if (this.frozen) return;
    this.latency.record(ms);
    this.latencyWindow.record(ms);
    (frameLevel ? this.latencyFrameLevel : this.latencyDecoded).record(ms);
  }
}

/** Everything a worker reports: counters, histograms as data, and the outstanding count. */
export interface MetricsSnapshot {
  joins: Metrics["joins"]; joinFailures: Record<string, number>; cmds: Metrics["cmds"]; refusedByCode: Record<string, number>;
  disconnects: Record<string, number>; drops: number; reconnects: number; otherErrors: Record<string, number>;
  battles: Metrics["battles"]; clients: number; connections: Metrics["connections"]; bytesIn: number; bytesOut: number; messagesIn: number;
  latency: HistogramData; latencyDecoded: HistogramData; latencyFrameLevel: HistogramData; ackRtt: HistogramData; outstanding: number;
}

export function snapshotMetrics(m: Metrics): MetricsSnapshot {
  return {
    joins: { ...m.joins }, joinFailures: { ...m.joinFailures }, cmds: { ...m.cmds }, refusedByCode: { ...m.refusedByCode },
    disconnects: { ...m.disconnects }, drops: m.drops, reconnects: m.reconnects, otherErrors: { ...m.otherErrors },
    battles: { ...m.battles }, clients: m.clients, connections: { ...m.connections }, bytesIn: m.bytesIn, bytesOut: m.bytesOut, messagesIn: m.messagesIn,
    latency: m.latency.toJSON(), latencyDecoded: m.latencyDecoded.toJSON(), latencyFrameLevel: m.latencyFrameLevel.toJSON(),
    ackRtt: m.ackRtt.toJSON(), outstanding: m.outstanding.size,
  };
}

/** The sum of several processes' snapshots, as one Metrics (its `outstanding` map stays empty). */
export function metricsFromSnapshot(snaps: MetricsSnapshot[]): Metrics {
  const m = new Metrics();
  const add = <T extends Record<string, number>>(into: T, from: T) => { for (const k of Object.keys(from) as (keyof T)[]) (into[k] as number) = ((into[k] as number | undefined) ?? 0) + from[k]; };
  for (const s of snaps) {
    add(m.joins, s.joins); add(m.joinFailures, s.joinFailures); add(m.cmds, s.cmds); add(m.refusedByCode, s.refusedByCode);
    add(m.disconnects, s.disconnects); add(m.otherErrors, s.otherErrors); add(m.battles, s.battles); add(m.connections, s.connections);
    m.drops += s.drops; m.reconnects += s.reconnects; m.clients += s.clients;
    m.bytesIn += s.bytesIn; m.bytesOut += s.bytesOut; m.messagesIn += s.messagesIn;
    m.latency.merge(Histogram.fromJSON(s.latency));
    m.latencyDecoded.merge(Histogram.fromJSON(s.latencyDecoded));
    m.latencyFrameLevel.merge(Histogram.fromJSON(s.latencyFrameLevel));
    m.ackRtt.merge(Histogram.fromJSON(s.ackRtt));
  }
  return m;
}
