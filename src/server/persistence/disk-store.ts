// Durable battles on local disk, for a single process without Redis: DATA_DIR/battles/<id>/
// meta.json, log.ndjson (one record a line, appended) and snap.json (written to a temporary
// file of its own and renamed, so it is never half-written). A checkpoint older than the one
// already on disk is skipped: an older checkpoint never replaces a newer one.
// An append resolves once write() returned: the record survives a crash of the process (it is
// in the OS page cache); fsync-per-command (surviving a power cut) is not done, see docs/scaling.md.
// Appends (and checkpoints) are synchronous writes, appends on a descriptor kept open per battle: a write into the page cache
// costs about 3 µs of CPU, where the promise API's FileHandle.appendFile costs about 50 µs (a
// thread-pool round trip and several promise hops; measured in docs/performance.md). The event
// loop blocks for as long as the kernel takes to accept the line, which for a local disk is the
// page-cache copy.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { BattleMeta, BattleSnapshot, BattleStore, LogRecord, StoredBattle } from "./types";

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class DiskBattleStore implements BattleStore {
  readonly kind = "disk" as const;
  private readonly root: string;
  /** The open log file of each battle (appends are synchronous, hence in call order). */
  private fds = new Map<string, number>();
  private counts = new Map<string, number>();
  /** Per battle: the newest checkpoint on disk (by log sequence number). */
  private snapWritten = new Map<string, number>();

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
    await fsp.mkdir(dir, { recursive: true });
    await fsp.rm(path.join(dir, "log.ndjson"), { force: true });
    await fsp.rm(path.join(dir, "snap.json"), { force: true });
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
   * Writes the checkpoint now (synchronously, like the appends: about a tenth of the CPU of the
   * promise API's open/write/close/rename chain, which cost small battles, checkpointed every round,
   * more than their commands). One older than the newest on disk is skipped: the newest always wins.
   */
  snapshot(id: string, snap: BattleSnapshot): Promise<void> {
    if (snap.seq <= (this.snapWritten.get(id) ?? -1)) return Promise.resolve();
    try {
      writeAtomicSync(path.join(this.dir(id), "snap.json"), JSON.stringify(snap));
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.snapWritten.set(id, snap.seq);
    return Promise.resolve();
  }

  async load(id: string): Promise<StoredBattle | undefined> {
    const dir = this.dir(id);
    let meta: BattleMeta;
    try {
      meta = JSON.parse(await fsp.readFile(path.join(dir, "meta.json"), "utf8")) as BattleMeta;
    } catch {
      return undefined;
    }
    const snapText = await fsp.readFile(path.join(dir, "snap.json"), "utf8").catch(() => undefined);
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
    return { id, meta, ...(snapText ? { snapshot: JSON.parse(snapText) as BattleSnapshot } : {}), records };
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
    const ids = [...this.fds.keys()];
    await Promise.all(ids.map((id) => this.closeHandle(id)));
  }

  /** Closes the battle's log (nothing is ever in flight: appends and checkpoints are written synchronously). */
  private async closeHandle(id: string) {
    const fd = this.fds.get(id);
    this.fds.delete(id);
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** write(2) may write less than asked (a full disk, a signal): the rest follows, or it throws. */
function writeFully(fd: number, bytes: Buffer) {
  let done = 0;
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done);
}

let tmpSeq = 0;
/** writeAtomic, synchronously (checkpoints: see `snapshot`). */
function writeAtomicSync(file: string, text: string) {
  const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

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
