// How a combat-log entry's lists travel in the wire state: each as one string field, not as
// nested schema arrays. A LogEntryState with six ArraySchemas and a Schema per modifier cost the
// server about 150 µs to create, attach and later trim per entry (2–3 entries per command, the
// largest share of a command's cost); flat strings cost about 20 µs, and encode smaller.
// Packed here and unpacked by the client (client/roll-card.ts) and the tools: one format.
//   dice, damageDice:                       "3,4"            (no dice: "")
//   modifiers, damageModifiers, detailModifiers: JSON [[label, value], …]   (none: "")
//   hits:                                    JSON [line, …]   (none: "")

export interface PackedModifier { label: string; value: number }

export function packDice(dice: readonly number[]): string {
  return dice.join(",");
}

export function packModifiers(mods: readonly PackedModifier[]): string {
  return mods.length ? JSON.stringify(mods.map((m) => [m.label, m.value])) : "";
}

export function packLines(lines: readonly string[]): string {
  return lines.length ? JSON.stringify(lines) : "";
}

/** The dice of a packed field; anything unreadable is no dice. */
export function unpackDice(packed: unknown): number[] {
  if (typeof packed !== "string" || packed === "") return [];
  return packed.split(",").map(Number).filter((n) => Number.isFinite(n));
}

export function unpackModifiers(packed: unknown): PackedModifier[] {
  return parseList(packed).flatMap((m) => Array.isArray(m) && m.length === 2 ? [{ label: String(m[0]), value: Number(m[1]) }] : []);
}

export function unpackLines(packed: unknown): string[] {
  return parseList(packed).map(String);
}

function parseList(packed: unknown): unknown[] {
  if (typeof packed !== "string" || packed === "") return [];
  try {
    const list: unknown = JSON.parse(packed);
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}
