import assert from "node:assert/strict";
import { runFuzz } from "../../harness/fuzzer";
import { useServer } from "../support/use-server";

describe("protocol fuzzing", function () {
  this.timeout(120_000);
  const server = useServer();
  // Rate limits and intrusion detection lifted (MACHINE_SPEED_LIMITS, the test default): the
  // fuzzer aims at the validation, permission and rules paths behind the limiter, which
  // test/security/limits.test.ts covers. Transport kicks (oversized frames, undecodable frames)
  // still happen; the fuzz client then rejoins with its seat key.

  it("survives 10,000 random, malformed, oversized and wrong-role messages: no crash, no unhandled rejection, no state change from any message that was not accepted", async () => {
    const result = await runFuzz(server(), { messages: 10_000, seed: 20261123, battles: 4, maxMs: 90_000 });
    assert.equal(result.sent, 10_000, `sent ${result.sent} within the time bound`);
    assert.deepEqual(result.uncaught, [], "no uncaught exception or unhandled rejection");
    assert.deepEqual(result.rejectedThatChangedState, [], "a refused message changed nothing");
    // Every kind of outcome was exercised, and the server still serves new battles.
    for (const kind of ["ack", "error:invalid", "error:forbidden", "error:readOnly", "closed:1009"]) assert.ok(result.byReply[kind]! > 0, `some ${kind}: ${JSON.stringify(result.byReply)}`);
    assert.ok(!Object.keys(result.byReply).includes("error:rateLimited"), "the limiter was out of the way");
    const res = await fetch(`http://127.0.0.1:${server().port}/health`);
    assert.equal(res.status, 200);
  });
});
