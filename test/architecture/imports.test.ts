import assert from "node:assert/strict";
import { specifiers, violations } from "../../scripts/check-imports";

describe("import direction", () => {
  it("finds static, side-effect, dynamic and require imports", () => {
    const src = `import a from "./a";\nimport "./b";\nexport { c } from "../c";\nconst d = require("./d");\nawait import("./e");`;
    assert.deepEqual(specifiers(src), ["./a", "./b", "../c", "./d", "./e"]);
  });
  it("holds for the whole tree: rules, data and engine are pure; the client imports no server code", () => {
    assert.deepEqual(violations(), []);
  });
});
