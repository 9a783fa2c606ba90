// The GM in control, on the server side of a battle: what the gm:* control messages ask of the
// engine, when the GM may act for a player ship, and which absent players' seats free themselves.
// Colyseus-free: the room (or any battle host) wires these in.
import type { z } from "zod";
import type { GM_MESSAGES, GmMessageName } from "../commands";
import type { Command, GmControlCommand } from "../engine/types";

type Payload<N extends GmMessageName> = z.infer<(typeof GM_MESSAGES)[N]>;

/** The engine command of a GM control message (pause, resume, skipTurn, undo, adjust); undefined for the other gm:* messages. */
export function gmControlCommand(type: GmMessageName, msg: unknown): GmControlCommand | undefined {
  switch (type) {
    case "gm:pause": return { type: "pause" };
    case "gm:resume": return { type: "resume" };
    case "gm:skipTurn": return { type: "skipTurn" };
    case "gm:undo": return { type: "undo" };
    case "gm:adjust": {
      const { cid: _cid, ...fields } = msg as Payload<"gm:adjust">;
      return { type: "adjust", ...fields };
    }
    default: return undefined;
  }
}

/**
 * The GM acts for NPC ships, and for a player ship only while nobody of its crew is connected
 * (the player closed the page): a present crew decides for itself. Returns the refusal, or null.
 */
export function gmActRefusal(cmd: Command, playerShip: boolean, crewConnected: boolean): string | null {
  if (!playerShip || !crewConnected) return null;
  return `a crew member of ${(cmd as { shipId?: string }).shipId ?? "that ship"} is connected: the GM acts only for an absent crew`;
}

/**
 * Seats of players gone past the reconnection grace free themselves after `delayMs`, so that a
 * new player can take the ship (SEAT_RELEASE_SEC). The timer is the host's (in a room, Node's
 * timers that the room clears when it is disposed), so a disposed battle leaves none behind.
 */
export class AbsentSeats {
  private timers = new Map<string, { clear(): void }>();

  constructor(
    private readonly delayMs: number,
    private readonly setTimer: (fn: () => void, ms: number) => { clear(): void },
    private readonly release: (seatId: string) => void,
  ) {}

  /**
   * The seat's last connection is gone for good (its grace ended): it frees itself after the delay,
   * plus `extraMs` (a restored battle gives its players the reconnection grace first).
   */
  gone(seatId: string, extraMs = 0): void {
    this.back(seatId);
    this.timers.set(seatId, this.setTimer(() => {
      this.timers.delete(seatId);
      this.release(seatId);
    }, this.delayMs + extraMs));
  }

  /** The seat was taken back with its key, or freed otherwise: no release. */
  back(seatId: string): void {
    this.timers.get(seatId)?.clear();
    this.timers.delete(seatId);
  }

  waiting(): string[] {
    return [...this.timers.keys()];
  }
}
