// The @colyseus/loadtest scenario (loadtest/battle-bot.ts) in CI: one table (GM + 5 players,
// 10 NPC ships, the bot's defaults) against a real server child process, bounded by the bot's
// --duration and by a hard kill. Everything is read from the tool's --output file, the way a
// person running it would read it. Asserts behaviour, never speed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, startServerProcess, type ServerProcess } from "../../harness/server-process";
import { freePort } from "../../harness/ports";

const CLIENTS = 6;
const PLAY_SEC = 15;
/** Start-up, joins, play, the bot's 10 s reply grace and the summary, with room to spare. */
const HARD_LIMIT_MS = 90_000;

interface BotResult {
  seated: number;
  cmds: { sent: number; acked: number; refused: number; timedOut: number; lateReplies: number };
  unanswered: number;
  refusedByCode: Record<string, number>;
  disconnects: Record<string, number>;
  otherErrors: Record<string, number>;
  commandToPatchMs: { p50: number; p95: number; p99: number; count: number };
}

/** Runs the bot to its end (or kills it at the hard limit); resolves with its exit code and stderr. */
function runBot(port: number, output: string): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [
    "--import", "tsx", "loadtest/battle-bot.ts", "--endpoint", `ws://127.0.0.1:${port}`, "--room", "battle",
    "--numClients", String(CLIENTS), "--output", output, "--duration", String(PLAY_SEC),
    // stdout is the tool's full-screen TUI: nobody reads it here.
  ], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += String(d); });
  const killer = setTimeout(() => child.kill("SIGKILL"), HARD_LIMIT_MS);
  return new Promise((resolve) => child.once("exit", (code, signal) => { clearTimeout(killer); resolve({ code, signal, stderr }); }));
}

describe("the @colyseus/loadtest battle bot, run against a started server", function () {
  this.timeout(HARD_LIMIT_MS + 60_000);
  let server: ServerProcess | undefined;
  let dir: string;
  let log = "";
  let result: BotResult | undefined;
  let exit: Awaited<ReturnType<typeof runBot>>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "battle-bot-"));
    server = await startServerProcess({ port: await freePort() });
    const output = path.join(dir, "battle-bot.log");
    exit = await runBot(server.port, output);
    log = fs.existsSync(output) ? fs.readFileSync(output, "utf8") : "";
    // The bot logs `result {json}`; the tool quotes each logged value (util.inspect).
    const m = /'result (\{.*\})'/.exec(log);
    result = m ? JSON.parse(m[1]!) as BotResult : undefined;
  });

  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("ends by itself after its play time and writes its summary and result to the output file", () => {
    assert.equal(exit.signal, null, `the bot was killed at the ${HARD_LIMIT_MS} ms limit; stderr: ${exit.stderr}`);
    assert.equal(exit.code, 0, `exit code; stderr: ${exit.stderr}`);
    assert.match(log, /Finished\. Summary:/, log);
    assert.ok(result, `no result line in the output file:\n${log}`);
    assert.equal(server?.crashed, undefined, `the server crashed: ${JSON.stringify(server?.crashed)}`);
  });

  it("connects all six clients and seats the GM and the five players, with no error logged", () => {
    assert.match(log, new RegExp(`Successful connections: ${CLIENTS}\\b`), log);
    assert.match(log, /Failed connections: 0\b/, log);
    assert.match(log, /Total errors: 0\b/, log);
    assert.equal(result?.seated, CLIENTS);
    assert.match(log, /client 0: seated as GM of table 1/);
    for (let p = 1; p < CLIENTS; p++) assert.match(log, new RegExp(`client ${p}: seated as player on p${p} of table 1`));
    assert.deepEqual(result?.disconnects, {}, "no unexpected disconnects");
    assert.deepEqual(result?.otherErrors, {}, "no unmatched replies or room errors");
  });

  it("gets every command it sent acknowledged: none refused, timed out or left unanswered", () => {
    const cmds = result!.cmds;
    assert.ok(cmds.sent > 0, "the bots played (sent commands)");
    assert.equal(cmds.acked, cmds.sent, JSON.stringify(result));
    assert.equal(cmds.refused, 0, JSON.stringify(result!.refusedByCode));
    assert.equal(cmds.timedOut, 0);
    assert.equal(result!.unanswered, 0);
  });

  it("logs its command → patch figures", () => {
    assert.ok(result!.commandToPatchMs.count >= result!.cmds.acked, "every acknowledged command's patch was seen by the clients");
    assert.match(log, /cmds \d+ sent \/ \d+ acked \/ \d+ refused \| command→patch p50 [\d.]+ p95 [\d.]+ p99 [\d.]+ ms/);
  });
});
