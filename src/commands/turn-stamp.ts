/**
 * The turn stamp: which turn of the battle a command was made for. A client reads `round` and
 * `turnIndex` from state and sends the stamp as `v`; the server refuses a command whose stamp is
 * not the battle's current one as `stale`, so a click made before the turn moved on never lands
 * on the next ship's turn. It is not the state's `version` (which counts every change): sending
 * that as `v` is refused as `stale`. A battle has at most 15 ships, so `turnIndex` < 256 and the
 * stamp orders turns.
 */
export function turnStamp(state: { round: number; turnIndex: number }): number {
  return state.round * 256 + state.turnIndex;
}
