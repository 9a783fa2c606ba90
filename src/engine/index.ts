// The engine's public API: a pure battle state machine.
export { apply } from "./apply";
export { activeShipId, createBattle, isAlive } from "./battle";
export { BattleSetupError, type SetupErrorCode } from "./errors";
export { neededRole } from "./permissions";
export { applyWithHistory, createHistory, UNDO_DEPTH, type BattleHistory } from "./history";
export { replay, replayWithDice, type ReplayStep } from "./replay";
export { isTurnAction } from "./validate";
export type * from "./types";
