// Which battles of a run decode the state at every client (`--decode-sample F`). Decoding every
// patch for six SDK clients per battle is most of the load generator's CPU (docs/performance.md,
// "Load generator cost"); in the other battles only the GM decodes, and the players keep to
// frame-level bookkeeping (./frame-level-client.ts).

/**
 * True when table `table` (1-based) decodes at every client. The decoding tables are spread evenly
 * over the run, table 1 always among them: ceil(F x N) of the first N tables, whatever N is, so a
 * worker's share and the whole run agree (the choice depends on the table number only).
 */
export function decodesEveryClient(table: number, fraction: number): boolean {
  if (fraction >= 1) return true;
  return upTo(table, fraction) > upTo(table - 1, fraction);
}

/** How many of tables 1..`tables` decode at every client. */
export function decodingTables(tables: number, fraction: number): number {
  return fraction >= 1 ? tables : upTo(tables, fraction);
}

/** ceil(n x F), with n x F read as the whole number it is meant to be when floating point lands just above one (30 x 0.1). */
const upTo = (n: number, fraction: number) => Math.ceil(n * fraction - 1e-9);
