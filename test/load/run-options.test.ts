// The load runner's command line (loadtest/run.ts), parsed as the user types it.
import assert from "node:assert/strict";
import { optionsFromArgs, parseArgs } from "../../loadtest/run";

const options = (...argv: string[]) => optionsFromArgs(parseArgs(argv));

describe("the load runner's --server-node-args", () => {
  it("passes Node/V8 flags for the server process through, comma-separated", () => {
    assert.deepEqual(options("--server-node-args=--single-threaded-gc,--max-semi-space-size=32").run.serverNodeArgs,
      ["--single-threaded-gc", "--max-semi-space-size=32"]);
    assert.equal(options("--battles", "2").run.serverNodeArgs, undefined);
  });

  it("refuses anything but plain flags: a value without a dash, a shell word, an empty list", () => {
    for (const bad of ["--server-node-args=single-threaded-gc", "--server-node-args=--x;rm -rf /", "--server-node-args=--require=/tmp/a b", "--server-node-args"]) {
      assert.throws(() => options(bad), /--server-node-args takes Node\/V8 flags/, bad);
    }
  });
});
