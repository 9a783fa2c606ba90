// The engine's public API: a pure battle state machine.
export { apply } from "./apply";
export { activeShipId, createBattle, isAlive } from "./battle";
export { BattleSetupError, type SetupErrorCode } from "./errors";
export { neededRole } from "./legal";
export { replay, replayWithDice, type ReplayStep } from "./replay";
export { isTurnAction } from "./legal";
export type * from "./types";
