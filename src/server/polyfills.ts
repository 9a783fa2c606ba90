// Colyseus 0.18 expects a global WebSocket (Node 22 has one, Node 20 does not). Without it
// every reconnection fails with close code 4003. Imported first by src/index.ts and the tests.
import { WebSocket } from "ws";

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
