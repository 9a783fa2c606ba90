// Durable battles on local disk, for a single process without Redis: DATA_DIR/battles/<id>/
// meta.json, log.ndjson (one record a line, appended) and the round checkpoint in two slots,
// snap-0.json and snap-1.json, written in turn, each rewritten in place: the newest checkpoint
// is never the one being written, so a crash mid-write leaves it whole. A slot is the JSON, a
// newline and the checkpoint's sequence number again: a torn slot (the new checkpoint's first
// bytes on the older one's rest, which can still parse) ends with another number, or none, and
// is skipped. A temporary file renamed over the checkpoint did the same at far more cost (≈ 145
// µs of CPU against ≈ 8 for a 20-KB checkpoint on a slot kept open, and the rename blocked the
// event loop on the file system's journal: docs/performance.md, "Fifth pass"). A checkpoint
// older than the one already on disk is skipped: an older checkpoint never replaces a newer one.
// The checkpoint only checks a restore's replay (docs/scaling.md); nothing is restored from it.
// An append resolves once write() returned: the record survives a crash of the process (it is
// in the OS page cache); fsync-per-command (surviving a power cut) is not done, see docs/scaling.md.
// Appends (and checkpoints) are synchronous writes on descriptors kept open per battle: a write into the page cache
// costs about 3 µs of CPU, where the promise API's FileHandle.appendFile costs about 50 µs (a
// thread-pool round trip and several promise hops; measured in docs/performance.md). The event
// loop blocks for as long as the kernel takes to accept the line, which for a local disk is the
// page-cache copy.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { BattleMeta, BattleSnapshot, BattleStore, LogRecord, StoredBattle } from "./types";

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The checkpoint's two slots (a `snap.json` of a version before them is not read: one restore goes unchecked). */
const SLOTS = ["snap-0.json", "snap-1.json"] as const;

export class DiskBattleStore implements BattleStore {
  readonly kind = "disk" as const;
  private readonly root: string;
  /** The open log file of each battle (appends are synchronous, hence in call order). */
  private fds = new Map<string, number>();
  /** The open checkpoint slots of each battle (opened when first written: an open was most of a write's cost). */
  private slotFds = new Map<string, (number | undefined)[]>();
  private counts = new Map<string, number>();
  /** Per battle: the newest checkpoint on disk (by log sequence number) and the slot holding it. */
  private snapWritten = new Map<string, { seq: number; slot: number }>();

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, "battles");
    fs.mkdirSync(this.root, { recursive: true });
  }

  private dir(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`unsafe battle id '${id}'`);
    return path.join(this.root, id);
  }

  async create(id: string, meta: BattleMeta): Promise<void> {
    const dir = this.dir(id);
    // Files of an earlier battle under this id, still open here, would take the new one's writes after their removal.
    await this.closeHandle(id);
    await fsp.mkdir(dir, { recursive: true });
    await fsp.rm(path.join(dir, "log.ndjson"), { force: true });
    for (const f of SLOTS) await fsp.rm(path.join(dir, f), { force: true });
    await writeAtomic(path.join(dir, "meta.json"), JSON.stringify(meta));
    this.counts.set(id, 0);
    this.snapWritten.delete(id);
  }

  append(id: string, rec: LogRecord): Promise<number> {
    try {
      writeFully(this.fd(id), Buffer.from(`${JSON.stringify(rec)}\n`));
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const n = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, n);
    return Promise.resolve(n);
  }

  private fd(id: string): number {
    let fd = this.fds.get(id);
    if (fd === undefined) {
      fd = fs.openSync(path.join(this.dir(id), "log.ndjson"), "a");
      this.fds.set(id, fd);
    }
    return fd;
  }

  /**
   * Writes the checkpoint now (synchronously, like the appends: the promise API's chain cost small
   * battles, checkpointed every round, more than their commands) into the slot that does not hold
   * the newest one. One older than the newest on disk is skipped: the newest always wins.
   */
  snapshot(id: string, snap: BattleSnapshot): Promise<void> {
    const newest = this.snapWritten.get(id);
    if (snap.seq <= (newest?.seq ?? -1)) return Promise.resolve();
    const slot = newest ? 1 - newest.slot : 0;
    try {
      rewriteInPlace(this.slotFd(id, slot), Buffer.from(`${JSON.stringify(snap)}\n${snap.seq}`));
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.snapWritten.set(id, { seq: snap.seq, slot });
    return Promise.resolve();
  }

  private slotFd(id: string, slot: number): number {
    let fds = this.slotFds.get(id);
    if (!fds) this.slotFds.set(id, (fds = []));
    return (fds[slot] ??= fs.openSync(path.join(this.dir(id), SLOTS[slot]!), fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644));
  }

  /** The newest whole checkpoint on disk, and the slot it is in. */
  private async newestSnapshot(dir: string): Promise<{ snap: BattleSnapshot; slot: number } | undefined> {
    let best: { snap: BattleSnapshot; slot: number } | undefined;
    for (const [slot, file] of SLOTS.entries()) {
      const text = await fsp.readFile(path.join(dir, file), "utf8").catch(() => undefined);
      const snap = wholeCheckpoint(text);
      // Torn by a crash mid-write (undefined): the other slot holds the one before.
      if (snap && snap.seq > (best?.snap.seq ?? -1)) best = { snap, slot };
    }
    return best;
  }

  async load(id: string): Promise<StoredBattle | undefined> {
    const dir = this.dir(id);
    let meta: BattleMeta;
    try {
      meta = JSON.parse(await fsp.readFile(path.join(dir, "meta.json"), "utf8")) as BattleMeta;
    } catch {
      return undefined;
    }
    const newest = await this.newestSnapshot(dir);
    // The next checkpoint goes into the other slot: the newest on disk is never overwritten.
    if (newest) this.snapWritten.set(id, { seq: newest.snap.seq, slot: newest.slot });
    else this.snapWritten.delete(id);
    const logText = await fsp.readFile(path.join(dir, "log.ndjson"), "utf8").catch(() => "");
    const records: LogRecord[] = [];
    for (const line of logText.split("\n")) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as LogRecord);
      } catch {
        break; // a torn last line (crash mid-write): it was never acknowledged
      }
    }
    this.counts.set(id, records.length);
    return { id, meta, ...(newest ? { snapshot: newest.snap } : {}), records };
  }

  /** Battles left on disk by an earlier run. */
  async list(): Promise<string[]> {
    const entries = await fsp.readdir(this.root, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && SAFE_ID.test(e.name)).map((e) => e.name);
  }

  async remove(id: string): Promise<void> {
    await this.closeHandle(id);
    this.counts.delete(id);
    this.snapWritten.delete(id);
    await fsp.rm(this.dir(id), { recursive: true, force: true });
  }

  async release(id: string): Promise<void> {
    await this.closeHandle(id);
  }

  async ping() {
    return { ok: true, latencyMs: 0 };
  }

  async close(): Promise<void> {
    const ids = [...new Set([...this.fds.keys(), ...this.slotFds.keys()])];
    await Promise.all(ids.map((id) => this.closeHandle(id)));
  }

  /** Closes the battle's files (nothing is ever in flight: appends and checkpoints are written synchronously). */
  private async closeHandle(id: string) {
    const fd = this.fds.get(id);
    this.fds.delete(id);
    if (fd !== undefined) fs.closeSync(fd);
    for (const slot of this.slotFds.get(id) ?? []) if (slot !== undefined) fs.closeSync(slot);
    this.slotFds.delete(id);
  }
}

/** write(2) may write less than asked (a full disk, a signal): the rest follows, or it throws. */
function writeFully(fd: number, bytes: Buffer) {
  let done = 0;
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done);
}

/** A slot's checkpoint if the slot is whole: its JSON parses and the number after it is its `seq`. */
function wholeCheckpoint(text: string | undefined): BattleSnapshot | undefined {
  const end = text?.lastIndexOf("\n") ?? -1;
  if (!text || end < 0) return undefined;
  try {
    const snap = JSON.parse(text.slice(0, end)) as BattleSnapshot;
    return typeof snap?.seq === "number" && String(snap.seq) === text.slice(end + 1) ? snap : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces an open file's content in place: written from the start, then cut to the new length
 * (no truncation to zero first: freeing and reallocating the file's blocks cost more than the write).
 */
function rewriteInPlace(fd: number, bytes: Buffer) {
  let done = 0;
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done, done);
  fs.ftruncateSync(fd, bytes.byteLength);
}

let tmpSeq = 0;
/** Write to a temporary file of its own (unique per write), then rename it over `file`. */
async function writeAtomic(file: string, text: string) {
  const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
  try {
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
