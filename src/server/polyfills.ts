// Colyseus 0.18 expects a global WebSocket: Node 22 (what the project runs on, see package.json)
// has one, and then this does nothing. Node 20 has none, and there every reconnection would fail
// with close code 4003; the `ws` package stands in. Imported first by src/index.ts and the tests.
import { WebSocket } from "ws";

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
