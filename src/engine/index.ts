// The engine's public API: a pure battle state machine.
export { apply } from "./apply";
export { activeShipId, createBattle, isAlive } from "./battle";
export { BattleSetupError, type SetupErrorCode } from "./errors";
export { neededRole } from "./permissions";
export { replay, replayStep, replayWithDice, type ReplayStep } from "./replay";
export { isTurnAction } from "./validate";
export { detailedShips, lockedByPlayers, type Viewer } from "./visibility";
export type * from "./types";
