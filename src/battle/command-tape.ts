// The battle's accepted commands, in order, packed into one growing buffer: with the seed they
// replay the battle exactly (the GM's undo, the export). Kept as objects, a command cost ≈ 175
// bytes of garbage-collected heap for the battle's whole life (four or five live objects each);
// at 500 full battles that was the largest share of the soak's heap growth, and every full
// collection walked it (docs/performance.md, "Fifth pass"). Packed, a command is ≈ 45 bytes outside
// the heap the collector traces, and reading a command back (an undo, an export: each replays
// the battle anyway) decodes it in about a microsecond.
//
// MessagePack with records: a command packs as the index of its shape (its keys) and its values.
import { Packr } from "msgpackr";
import type { HistoryStep, StepList } from "../engine";

// One Packr for every tape in the process (one each cost ≈ 5 KB of heap per battle). Its first 32
// shapes are shared and only ever added, never redefined; a shape past them is defined inside each
// packed command that uses it. So a command decodes the same whatever was packed since, in any
// battle (test/battle/command-tape.test.ts). `moreTypes` off: commands are plain JSON-like data.
const packr = new Packr({ structures: [], moreTypes: false });

/** First buffer of a tape, in bytes (≈ 25 commands); it doubles as the battle goes on. */
const FIRST_BYTES = 1024;
const FIRST_COMMANDS = 32;

export class CommandTape implements StepList, Iterable<HistoryStep> {
  // Allocated unpooled (allocUnsafeSlow): a pooled slice would pin Node's shared 8-KB slab.
  private bytes = Buffer.allocUnsafeSlow(FIRST_BYTES);
  private used = 0;
  /** Where each command ends in `bytes` (it starts where the previous one ends). */
  private ends = new Uint32Array(FIRST_COMMANDS);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Bytes held for the commands (buffer and index, free room included). */
  get retainedBytes(): number {
    return this.bytes.byteLength + this.ends.byteLength;
  }

  push(step: HistoryStep): void {
    // pack() returns a view of the Packr's own scratch buffer: copied out at once.
    const packed = packr.pack({ actor: step.actor, cmd: step.cmd });
    if (this.used + packed.length > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + packed.length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    packed.copy(this.bytes, this.used);
    this.used += packed.length;
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.used;
  }

  /** The command at `index` (a fresh copy each call), undefined past the end; negative counts from the end. */
  at(index: number): HistoryStep | undefined {
    const i = index < 0 ? this.count + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    const start = i === 0 ? 0 : this.ends[i - 1]!;
    return packr.unpack(this.bytes.subarray(start, this.ends[i]!)) as HistoryStep;
  }

  *[Symbol.iterator](): Iterator<HistoryStep> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }

  /** Every command, decoded (the export's replay record). */
  toArray(): HistoryStep[] {
    return [...this];
  }
}
