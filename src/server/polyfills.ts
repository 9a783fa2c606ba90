// Colyseus 0.18's SDK and server expect a global WebSocket. Node 20 has none (every reconnection
// would fail with close code 4003). Node 22 has one (undici's), but with it an SDK client whose
// server process is killed or drained never takes its seat back on the process that restores the
// battle (test/scale/cluster.test.ts, SIGKILL and SIGTERM cases, fail on it). So every Node process
// of ours (server, tests, bots) uses the `ws` package; browsers keep their own WebSocket.
// Imported first by src/index.ts, the tests and the load tools.
import { WebSocket } from "ws";

(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
