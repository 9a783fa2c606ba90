// Colyseus 0.18's SDK expects a global WebSocket: Node 22 (what the project runs on, see
// package.json) has one, and then this does nothing. On Node 20 there is none, and every
// reconnection fails with close code 4003; there the `ws` package stands in. Imported first by
// src/index.ts and the tests.
import { WebSocket } from "ws";

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
