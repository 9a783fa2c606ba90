// The engine's public API: a pure battle state machine.
export { apply } from "./apply";
export { activeShipId, createBattle, isAlive } from "./battle";
export { BattleSetupError, type SetupErrorCode } from "./errors";
export { neededRole, isTurnAction } from "./legal";
export { applyWithHistory, createHistory, UNDO_DEPTH, type BattleHistory, type HistoryStep, type StepList } from "./history";
export { replay, replayLog, replayStep, replayWithDice, type ReplayStep } from "./replay";
export { detailedShips, lockedByPlayers, type Viewer } from "./visibility";
export type * from "./types";
