import assert from "node:assert/strict";
import path from "node:path";
import { check, specifiers, violations, LAYERS, type Layer, type SourceFile } from "../../scripts/check-imports";

/** Repository paths end in .ts; anything else names a package. */
const isPath = (t: string) => t.endsWith(".ts");

/** A synthetic source file at `from` importing each of `targets` (repository paths or packages). */
function file(from: string, ...targets: string[]): SourceFile {
  const lines = targets.map((t) => {
    if (!isPath(t)) return `import x from "${t}";`;
    let rel = path.posix.relative(path.posix.dirname(from), t.replace(/\.ts$/, ""));
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return `import x from "${rel}";`;
  });
  return { path: from, source: lines.join("\n") };
}

/** The violations of one importing file plus the files it imports (so that they resolve). */
function verdict(from: string, ...targets: string[]): string[] {
  const imported = targets.filter(isPath).map((t) => file(t));
  return check([file(from, ...targets), ...imported]);
}

const SHIPPED_FILES = ["src/server/config.ts", "src/engine/apply.ts", "src/commands/messages.ts", "rooms/BattleRoom.ts", "schema/sync.ts", "client/main.ts"];
const TOOLING_FILES = ["harness/server.ts", "loadtest/lib/runner.ts", "bench/run.ts", "scripts/fuzz.ts", "test/support/browser.ts"];

describe("import direction", () => {
  it("finds static, side-effect, dynamic and require imports", () => {
    const src = `import a from "./a";\nimport "./b";\nexport { c } from "../c";\nconst d = require("./d");\nawait import("./e");`;
    assert.deepEqual(specifiers(src), ["./a", "./b", "../c", "./d", "./e"]);
  });

  it("holds for the whole tree, every folder in a layer, with no cycle", () => {
    assert.deepEqual(violations(), []);
  });

  it("reports a source file in a folder that no layer covers", () => {
    assert.match(check([file("tools/helper.ts")]).join("\n"), /tools\/helper\.ts: in no layer/);
  });

  it("keeps rules and data pure: no engine, server or package import", () => {
    assert.match(verdict("src/rules/attack.ts", "src/engine/apply.ts").join(), /rules layer may not import src\/engine\/apply\.ts/);
    assert.match(verdict("src/data/ships.ts", "src/rules/attack.ts").join(), /data layer may not import src\/rules\/attack\.ts/);
    assert.match(verdict("src/rules/dice.ts", "seedrandom").join(), /rules layer may not import the package 'seedrandom'/);
    assert.deepEqual(verdict("src/rules/attack.ts", "src/rules/dice.ts", "src/data/weapons.ts"), []);
  });

  it("lets the engine import only rules and data", () => {
    assert.match(verdict("src/engine/apply.ts", "src/server/config.ts").join(), /engine layer may not import src\/server\/config\.ts/);
    assert.deepEqual(verdict("src/engine/apply.ts", "src/rules/attack.ts", "src/data/ships.ts"), []);
  });

  it("keeps the protocol bundleable: no package but zod, no server code", () => {
    assert.match(verdict("src/commands/session.ts", "@colyseus/sdk").join(), /commands layer may not import the package '@colyseus\/sdk'/);
    assert.match(verdict("src/commands/messages.ts", "src/server/config.ts").join(), /commands layer may not import/);
    assert.deepEqual(verdict("src/commands/messages.ts", "zod", "src/engine/types.ts", "src/rules/model.ts"), []);
  });

  it("forbids src/ to import rooms/, except the composition root that registers the room", () => {
    assert.match(verdict("src/server/capacity.ts", "rooms/observers.ts").join(), /server layer may not import rooms\/observers\.ts/);
    assert.match(verdict("src/battle/host.ts", "rooms/wire-state.ts").join(), /battle layer may not import rooms\/wire-state\.ts/);
    assert.match(verdict("src/battle/host.ts", "schema/sync.ts").join(), /battle layer may not import schema\/sync\.ts/);
    assert.match(verdict("src/battle/host.ts", "@colyseus/core").join(), /battle layer may not import the package '@colyseus\/core'/);
    assert.deepEqual(verdict("src/app.config.ts", "rooms/BattleRoom.ts"), []);
    assert.deepEqual(verdict("rooms/BattleRoom.ts", "src/server/config.ts", "schema/sync.ts"), []);
  });

  it("lets the web client import the protocol, the rules model, the precondition module and the catalogues only", () => {
    assert.deepEqual(verdict("client/actions.ts", "src/engine/legal.ts", "src/rules/model.ts", "src/commands/index.ts", "src/data/ships.ts", "@colyseus/sdk"), []);
    for (const target of ["src/rules/attack.ts", "src/engine/validate.ts", "src/server/config.ts", "rooms/seats.ts", "schema/sync.ts"]) {
      assert.match(verdict("client/actions.ts", target).join(), /client layer may not import/, target);
    }
    assert.match(verdict("client/main.ts", "express").join(), /client layer may not import the package 'express'/);
  });

  it("never lets what ships (src, rooms, schema, client) import the tooling folders", () => {
    for (const from of SHIPPED_FILES) {
      for (const to of TOOLING_FILES) assert.match(verdict(from, to).join(), /layer may not import/, `${from} -> ${to}`);
    }
  });

  it("never lets harness, loadtest, bench or scripts import test/", () => {
    for (const from of ["harness/play.ts", "loadtest/lib/runner.ts", "bench/run.ts", "scripts/fuzz.ts"]) {
      assert.match(verdict(from, "test/support/browser.ts").join(), /layer may not import test\/support\/browser\.ts/, from);
      assert.deepEqual(verdict(from, "harness/ports.ts"), [], from);
    }
    assert.deepEqual(verdict("test/load/smoke.test.ts", "harness/server.ts", "loadtest/lib/runner.ts", "scripts/check-imports.ts"), []);
  });

  it("keeps harness below loadtest and bench, and loadtest below bench", () => {
    assert.match(verdict("harness/play.ts", "loadtest/lib/metrics.ts").join(), /harness layer may not import loadtest/);
    assert.match(verdict("loadtest/lib/runner.ts", "bench/stats.ts").join(), /loadtest layer may not import bench/);
    assert.match(verdict("scripts/fuzz.ts", "bench/stats.ts").join(), /scripts layer may not import bench/);
    assert.deepEqual(verdict("bench/heap.ts", "loadtest/lib/batches.ts"), []);
  });

  it("reports a cycle between layers even when each import on it is allowed", () => {
    const layers: Layer[] = [
      { name: "a", paths: ["a"], mayImport: ["a", "b"], packages: /./ },
      { name: "b", paths: ["b"], mayImport: ["b", "c"], packages: /./ },
      { name: "c", paths: ["c"], mayImport: ["c", "a"], packages: /./ },
    ];
    const files = [file("a/x.ts", "b/y.ts"), file("b/y.ts", "c/z.ts"), file("c/z.ts", "a/x.ts")];
    assert.deepEqual(check(files, layers), ["layer cycle a -> b -> c -> a (a/x.ts -> b/y.ts; b/y.ts -> c/z.ts; c/z.ts -> a/x.ts)"]);
    assert.deepEqual(check(files.slice(0, 2), layers), []);
  });
});
