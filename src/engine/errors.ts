// Typed errors thrown while building a battle (createBattle, replay).
export type SetupErrorCode = "tooManyShips" | "invalidClass" | "invalidShip" | "replayDiverged";

export class BattleSetupError extends Error {
  readonly code: SetupErrorCode;
  constructor(code: SetupErrorCode, message: string) {
    super(message);
    this.name = "BattleSetupError";
    this.code = code;
  }
}
