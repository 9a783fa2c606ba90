// Counts the state patches a room broadcasts and the bytes of patch frames its clients receive,
// for the observers' `stateSampled` event. Colyseus exposes no per-patch byte count, so each
// client's raw sender is wrapped once at join; per frame it costs a byte test and an addition.
import { Protocol, type Client } from "@colyseus/core";

export class PatchMeter {
  patches = 0;
  bytes = 0;

  /** Wraps `client.raw` so that state-patch frames sent to it are counted. */
  attach(client: Client): void {
    const raw = client.raw;
    const meter = this;
    client.raw = function (this: Client, data, options, cb) {
      if (data[0] === Protocol.ROOM_STATE_PATCH) meter.bytes += data.byteLength;
      return raw.call(this, data, options, cb);
    };
  }

  /** The counts since the previous call, which starts a new period. */
  take(): { patches: number; patchBytes: number } {
    const out = { patches: this.patches, patchBytes: this.bytes };
    this.patches = 0;
    this.bytes = 0;
    return out;
  }
}
