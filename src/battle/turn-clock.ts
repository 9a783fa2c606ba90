// The battle's two clocks: the turn timer (a ship that does not act within turnTimeoutSec loses
// its turn) and the idle timer (a battle with no accepted change for IDLE_TIMEOUT_SEC ends).
// Time is read and scheduled through `Timers`: the room hands in Node's timers (rooms/BattleRoom.ts).
import { activeShipId } from "../engine";
import type { Battle } from "../rules/model";

export interface Timer { clear(): void }
export interface Timers {
  setTimeout(fn: () => void, ms: number): Timer;
  now(): number;
}

export class TurnClock {
  private turnTimer?: Timer;
  private idleTimer?: Timer;
  /** When something was last accepted: the idle timer, once due, looks here before it ends the battle. */
  private lastChange = 0;
  private turnSeen = "";
  /** When the active ship's turn runs out (ms since the epoch), 0 outside combat: shown to the clients. */
  turnEndsAt = 0;

  constructor(
    private readonly timers: Timers,
    private readonly turnTimeoutMs: number,
    private readonly idleMs: number,
    /** The turn (round, turnIndex) ran out, or passes at once (a player ship nobody crews). */
    private readonly onTurnTimeout: (round: number, turnIndex: number) => void,
    private readonly onIdle: () => void,
  ) {}

  /** After every accepted change: restarts the turn timer when the turn moved on. */
  afterChange(battle: Battle, crewedShips: Set<string>): void {
    const key = `${battle.phase}:${battle.round}:${battle.turnIndex}:${battle.paused === true}`;
    if (key === this.turnSeen) return;
    this.turnSeen = key;
    this.stopTurn();
    // Paused by the GM: no clock runs; on resume the turn gets its full time again.
    if (battle.phase !== "combat" || battle.paused) {
      this.turnEndsAt = 0;
      return;
    }
    const { round, turnIndex } = battle;
    const active = activeShipId(battle);
    const ship = active ? battle.ships[active] : undefined;
    // A player ship nobody crews would only stall the table: its turn passes at once.
    const ms = ship && ship.side === "players" && !crewedShips.has(ship.id) ? 0 : this.turnTimeoutMs;
    this.turnEndsAt = this.timers.now() + ms;
    this.turnTimer = this.timers.setTimeout(() => this.onTurnTimeout(round, turnIndex), ms);
  }

  /**
   * A seat was freed: when the active ship is a player ship nobody crews any more, its turn
   * passes at once on the next change (afterChange), instead of running out its time.
   */
  seatFreed(battle: Battle, crewedShips: Set<string>): void {
    const active = activeShipId(battle);
    if (active && battle.ships[active]?.side === "players" && !crewedShips.has(active)) this.turnSeen = "";
  }

  /**
   * Something was accepted: the idle time starts again. Every command does this, so the timer is
   * not re-armed each time: when it falls due it waits for whatever remains since the last change.
   */
  touch(): void {
    this.lastChange = this.timers.now();
    this.idleTimer ??= this.armIdle(this.idleMs);
  }

  private armIdle(ms: number): Timer {
    return this.timers.setTimeout(() => {
      const left = this.lastChange + this.idleMs - this.timers.now();
      this.idleTimer = left > 0 ? this.armIdle(left) : undefined;
      if (left <= 0) this.onIdle();
    }, ms);
  }

  /** The battle ended: no turn runs out any more. */
  stopTurn(): void {
    this.turnTimer?.clear();
    this.turnTimer = undefined;
    this.turnEndsAt = 0;
  }

  stop(): void {
    this.stopTurn();
    this.idleTimer?.clear();
    this.idleTimer = undefined;
  }
}
