export * from "./limits";
export * from "./common";
export * from "./turn-stamp";
export * from "./options";
export * from "./messages";
export * from "./replies";
export * from "./decoded-state";
export * from "./session";
