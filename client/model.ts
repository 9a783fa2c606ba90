// Read helpers over the decoded (reflected) battle state. Fields a seat may not see in detail
// are absent (undefined) in the decoded state, which the client shows as unknown.
export type AnyState = any;
export type AnyShip = any;

export function list<T = any>(collection: any): T[] {
  if (!collection) return [];
  if (typeof collection.values === "function") return [...collection.values()] as T[];
  return Object.values(collection) as T[];
}

export function ships(state: AnyState): AnyShip[] {
  return list(state?.ships).sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}

export function ship(state: AnyState, id: string): AnyShip | undefined {
  return state?.ships?.get?.(id);
}

export function shipName(state: AnyState, id: string): string {
  const s = ship(state, id);
  return s ? s.name : id;
}

/** The range band between two ships (`state.ranges` is keyed "a|b" with the ids sorted). */
export function rangeBetween(state: AnyState, a: string, b: string): string | undefined {
  const key = a < b ? `${a}|${b}` : `${b}|${a}`;
  return state?.ranges?.get?.(key);
}

export function isOut(s: AnyShip): boolean {
  return Boolean(s?.destroyed || s?.escaped);
}

export function enemiesOf(state: AnyState, own: AnyShip): AnyShip[] {
  return ships(state).filter((s) => s.side !== own.side && !isOut(s));
}

/** True when this seat receives the ship's detail fields (its own fleet, the GM, or a sensor lock). */
export function hasDetail(s: AnyShip): boolean {
  return s?.maxHull !== undefined && s?.maxHull !== null;
}

export function secondsLeft(state: AnyState, now = Date.now()): number | undefined {
  if (!state || state.phase !== "combat" || !state.turnEndsAt) return undefined;
  return Math.max(0, Math.ceil((state.turnEndsAt - now) / 1000));
}
