// `npm run fuzz [-- --messages N] [--seed S] [--battles B] [--max-minutes M]`: the protocol fuzzer of
// test/security/fuzz.test.ts for long runs (default 1,000,000 messages, at most 60 minutes) against
// an in-process server on loopback. Prints progress and the figures (messages/s, replies by kind);
// exits 1 on any crash, unhandled rejection, or state change from a refused message.
import "../src/server/polyfills";
import { startServer } from "../harness/server";
import { runFuzz, type FuzzResult } from "../harness/fuzzer";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

function line(r: FuzzResult): string {
  const rate = r.ms > 0 ? Math.round((r.sent / r.ms) * 1000) : 0;
  return `${r.sent.toLocaleString("en")} messages in ${(r.ms / 1000).toFixed(1)} s (${rate.toLocaleString("en")} messages/s), ${r.battles} battles, ${r.rejoins} rejoins`;
}

async function main() {
  const messages = flag("messages", 1_000_000);
  const seed = flag("seed", Date.now() % 2 ** 31);
  const battles = flag("battles", 4);
  const maxMs = flag("max-minutes", 60) * 60_000;
  process.env.LOG_LEVEL ??= "error";
  // Same configuration as the test: rate limits and intrusion detection lifted (docs/security.md).
  const server = await startServer();
  console.log(`fuzzing ${messages.toLocaleString("en")} messages, seed ${seed}, ${battles} battles in parallel, ws://127.0.0.1:${server.port}`);
  const result = await runFuzz(server, { messages, seed, battles, maxMs, onProgress: (r) => { if (r.sent % 50_000 === 0) console.log(`  ${line(r)}`); } });
  await server.close();
  console.log(line(result));
  console.log("replies by kind:");
  for (const [kind, n] of Object.entries(result.byReply).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${kind.padEnd(24)} ${String(n).padStart(10)}  ${((n / result.sent) * 100).toFixed(2)}%`);
  }
  console.log(`crashes / unhandled rejections: ${result.uncaught.length}`);
  console.log(`refused messages that changed the battle: ${result.rejectedThatChangedState.length}`);
  for (const x of [...result.uncaught, ...result.rejectedThatChangedState].slice(0, 10)) console.log(`  ${x.split("\n")[0]}`);
  const ok = result.uncaught.length === 0 && result.rejectedThatChangedState.length === 0;
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
