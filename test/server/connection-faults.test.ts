// Why a WebSocket closed, as the transport recorded it by session id (the room reads no private client field).
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import type WebSocket from "ws";
import { connectionFault, forgetConnection, protocolViolation, recordFault, sessionIdOf, watchConnection } from "../../src/server/connection-faults";

describe("connection faults", () => {
  it("reads the Colyseus session id off the WebSocket URL, and nothing off a URL without one", () => {
    assert.equal(sessionIdOf({ url: "/proc1/room1?sessionId=abc123&reconnectionToken=x" } as never), "abc123");
    assert.equal(sessionIdOf({ url: "/" } as never), undefined);
  });

  it("names a transport error over maxPayload as a protocol violation of that session", () => {
    const ws = new EventEmitter() as unknown as WebSocket;
    watchConnection(ws, "s-big");
    ws.emit("error", new RangeError("Max payload size exceeded"));
    assert.match(protocolViolation("s-big", 1006)!, /MAX_PAYLOAD_BYTES/);
    assert.equal(protocolViolation("s-other", 1006), undefined, "a plain network drop is no violation");
    forgetConnection("s-big");
    assert.equal(connectionFault("s-big"), undefined);
  });

  it("remembers a missed join deadline, which is no protocol violation", () => {
    recordFault("s-late", { kind: "joinTimeout" });
    assert.deepEqual(connectionFault("s-late"), { kind: "joinTimeout" });
    assert.equal(protocolViolation("s-late", 4408), undefined);
    forgetConnection("s-late");
  });

  it("names the close codes of a flood and of an oversized frame", () => {
    assert.match(protocolViolation("s-x", 4002)!, /MAX_MESSAGES_PER_SEC/);
    assert.match(protocolViolation("s-x", 1009)!, /MAX_PAYLOAD_BYTES/);
  });
});
