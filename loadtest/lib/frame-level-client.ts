// An SDK client whose rooms receive the state frames and do not decode them: the frame-level
// bots of a `--decode-sample` run (./decode-sample.ts). Every byte still arrives and is counted
// (./byte-counter.ts), `onStateChange` still fires once per ROOM_STATE / ROOM_STATE_PATCH frame,
// messages (seat, ack, error) are read as usual; only the schema decoding is skipped.
//
// The hook: the SDK's Room keeps the serializer it is given (its public `serializer` field) and
// only instantiates one from the server's serializer id when it has none (Room.#dispatchFrame,
// JOIN_ROOM). `Client.createRoom` is the SDK's protected factory for rooms, so a subclass hands
// each new room this serializer before it connects; no private member is touched.
import { Client, type Room } from "@colyseus/sdk";

/**
 * The SDK's serializer contract (`Serializer` in @colyseus/sdk/src/serializer/Serializer.ts,
 * not exported by the package) with nothing decoded.
 */
export class UndecodedState {
  /**
   * The schema reflection of the handshake, not decoded. Required: without a `handshake` method the
   * SDK does not step over the reflection and reads it as the handshake's trailing sections.
   */
  handshake(_bytes: Uint8Array): void {}
  setState(_frame: Uint8Array): void {}
  patch(_frame: Uint8Array): void {}
  /**
   * Undefined on purpose: the SDK asks the server to skip the handshake (the state's schema
   * reflection) when its serializer already has a state, and a frame-level client must receive
   * every byte a decoding client receives.
   */
  getState(): undefined {
    return undefined;
  }
  teardown(): void {}
}

export class FrameLevelClient extends Client {
  protected override createRoom<T>(roomName: string, rootSchema?: any): Room<any, T> {
    const room = super.createRoom<T>(roomName, rootSchema);
    (room as { serializer: unknown }).serializer = new UndecodedState();
    return room;
  }
}
