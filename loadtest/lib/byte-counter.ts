// Counts what a bot's WebSocket sends and receives, by wrapping the SDK connection's own handlers
// (the SDK has no byte counters; these are its internals, so this is the one file that knows them).
import type { Room } from "@colyseus/sdk";
import type { Metrics } from "./metrics";

/** Counts WebSocket bytes at the SDK connection (survives reconnection: the events object is kept). */
export function countBytes(room: Room<any, any>, metrics: Metrics) {
  const conn = (room as any).connection;
  if (!conn) return;
  const events = conn.events;
  const onmessage = events?.onmessage;
  if (events && typeof onmessage === "function") {
    events.onmessage = (ev: { data: ArrayBuffer | Uint8Array | string }) => {
      const d = ev.data as any;
      metrics.bytesIn += typeof d === "string" ? Buffer.byteLength(d) : (d?.byteLength ?? 0);
      metrics.messagesIn++;
      onmessage.call(events, ev);
    };
  }
  const send = conn.send?.bind(conn);
  if (send) {
    conn.send = (data: Uint8Array) => {
      metrics.bytesOut += data?.byteLength ?? 0;
      send(data);
    };
  }
}
