// How the project is installed and which Node runs it: the lockfile `npm ci` installs from, the
// Node that package.json brings for its scripts, and the one the production image ships.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { undeclaredPackages } from "../../scripts/build-server";

const ROOT = path.resolve(__dirname, "..", "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

interface LockedPackage { version: string; os?: string | string[]; cpu?: string | string[]; optional?: boolean; optionalDependencies?: Record<string, string> }
const lock = readJson("package-lock.json") as { packages: Record<string, LockedPackage> };
const pkg = readJson("package.json") as { engines: { node: string }; dependencies: Record<string, string>; optionalDependencies: Record<string, string> };

/** Where npm would find `name` for the package at `from` (node_modules lookup, walking up). */
function resolveInLock(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf("/node_modules/");
    dir = up < 0 ? "" : dir.slice(0, up);
  }
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** The Node major the production image runs (every FROM of deploy/Dockerfile). */
function imageNodeMajors(): number[] {
  const dockerfile = fs.readFileSync(path.join(ROOT, "deploy", "Dockerfile"), "utf8");
  return [...dockerfile.matchAll(/^FROM\s+node:(\d+)/gm)].map((m) => Number(m[1]));
}

describe("packaging", () => {
  it("locks every optional platform package that a locked package names, so npm ci installs on any platform", () => {
    const missing: string[] = [];
    for (const [at, p] of Object.entries(lock.packages)) {
      for (const name of Object.keys(p.optionalDependencies ?? {})) if (!resolveInLock(at, name)) missing.push(`${at || "(root)"} -> ${name}`);
    }
    assert.deepEqual(missing, [], "missing from package-lock.json (npm ci refuses such a lock)");
  });

  it("brings one Node for Linux, macOS and Windows on x64 and arm64, all of the version the lockfile pins", () => {
    const nodes = Object.entries(lock.packages).filter(([at]) => at.startsWith("node_modules/") && Object.keys(pkg.optionalDependencies).includes(at.slice("node_modules/".length)));
    const platforms = nodes.flatMap(([, p]) => list(p.os).flatMap((os) => list(p.cpu).map((cpu) => `${os}-${cpu}`))).sort();
    assert.deepEqual(platforms, ["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64", "win32-arm64", "win32-x64"]);
    const versions = new Set(nodes.map(([, p]) => p.version));
    assert.equal(versions.size, 1, `one Node version for every platform (got ${[...versions].join(", ")})`);
    for (const [, p] of nodes) assert.equal(p.optional, true, "optional: an unlisted platform still installs");
  });

  it("runs the tests on the Node major the production image ships, which package.json pins and its engines admit", () => {
    const majors = imageNodeMajors();
    assert.ok(majors.length > 0, "deploy/Dockerfile starts FROM node:<major>");
    const running = Number(process.versions.node.split(".")[0]);
    for (const major of majors) assert.equal(running, major, `this suite runs on Node ${process.versions.node}; the image ships Node ${major} (run it through npm, which puts node_modules/.bin/node first)`);
    for (const version of Object.values(pkg.optionalDependencies)) assert.equal(Number(version.split(".")[0]), running);
    const minimum = /^>=\s*(\d+)/.exec(pkg.engines.node);
    assert.ok(minimum && Number(minimum[1]) <= running, `engines.node ${pkg.engines.node} admits Node ${running}`);
  });

  it("refuses a server bundle that needs a package a production install would not have", () => {
    const deps = { express: "^5", "@colyseus/core": "^0.18" };
    assert.deepEqual(undeclaredPackages(["node:fs", "fs/promises", "express", "@colyseus/core/build/x", "tsx/cjs", "@types/node", "uplot/dist/x.css"], deps), ["@types/node", "tsx", "uplot"]);
    assert.deepEqual(undeclaredPackages(["http", "express", "@colyseus/core"], deps), []);
  });
});
