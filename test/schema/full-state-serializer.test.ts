// The full-state serializer past its buffer: a state the limits should never allow (chat pushed
// past the wire budget by hand) is still sent whole, to a client with a view and to one without,
// and the overflow is reported (the room turns the report into an error log line and a metric).
import assert from "node:assert/strict";
import { Decoder, StateView } from "@colyseus/schema";
import type { Client } from "@colyseus/core";
import { BattleState, ChatLine, DETAIL, ShipState } from "../../schema/BattleState";
import { FullStateSerializer, FULL_STATE_BUFFER_BYTES } from "../../rooms/full-state-serializer";

function oversizedState(): BattleState {
  const state = new BattleState();
  state.ships.set("p1", new ShipState().assign({ id: "p1", name: "Beowulf", hull: 77 }));
  // Twice the buffer's worth of chat, bypassing appendChat's budget.
  for (let i = 0; state.chat.length * 1000 < 2 * FULL_STATE_BUFFER_BYTES; i++) {
    state.chat.push(new ChatLine().assign({ seq: i, from: "g1", fromName: "GM", text: `${i} ${"x".repeat(990)}` }));
  }
  return state;
}

function decode(bytes: Uint8Array): BattleState {
  const decoded = new BattleState();
  new Decoder(decoded).decode(bytes, { offset: 1 });
  return decoded;
}

describe("full-state serializer", () => {
  it("sends a state larger than its buffer whole, with and without a view, and reports the overflow", () => {
    const state = oversizedState();
    const reports: number[] = [];
    const serializer = new FullStateSerializer<BattleState>((bytes) => reports.push(bytes));
    serializer.reset(state);

    const plain = decode(serializer.getFullState());
    assert.equal(plain.chat.length, state.chat.length);
    assert.equal(plain.chat.at(-1)!.text, state.chat.at(-1)!.text);
    assert.ok(reports.length >= 1 && reports[0]! > FULL_STATE_BUFFER_BYTES, `overflow reported: ${reports.join(", ")}`);

    const view = new StateView();
    view.add(state.ships.get("p1")!, DETAIL);
    const viewed = decode(serializer.getFullState({ view } as unknown as Client));
    assert.equal(viewed.chat.length, state.chat.length);
    assert.equal(viewed.ships.get("p1")!.hull, 77, "the view's hidden field arrives after the whole shared part");
  });

  it("encodes a state within its buffer without reporting anything, and returns a copy", () => {
    const state = new BattleState();
    state.chat.push(new ChatLine().assign({ seq: 1, from: "g1", fromName: "GM", text: "hello" }));
    const reports: number[] = [];
    const serializer = new FullStateSerializer<BattleState>((bytes) => reports.push(bytes));
    serializer.reset(state);
    const first = serializer.getFullState();
    const copy = first.slice();
    // Another room encoding into the shared buffer must not change what the first one returned.
    const other = new FullStateSerializer<BattleState>(() => undefined);
    other.reset(oversizedState());
    other.getFullState();
    assert.deepEqual(first, copy);
    assert.equal(decode(first).chat[0]!.text, "hello");
    assert.deepEqual(reports, []);
  });
});
