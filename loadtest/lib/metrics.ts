// Counters shared by every bot of one run. Everything is in one process, so one clock.
import { Histogram } from "./histogram";

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
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  /** Command sent -> the state version with its result decoded, for every client in the battle. */
  latency = new Histogram();
  /** The same, reset every second, for the timeline. */
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

  recordLatency(ms: number): void {
    if (this.frozen) return;
    this.latency.record(ms);
    this.latencyWindow.record(ms);
  }
}
