// Routes the bots through test/support/netsim.ts (a TCP proxy that delays chunks to simulate
// latency, jitter and "loss" = a retransmission delay; it never corrupts the stream), loaded
// only when --latency/--jitter/--loss is given. Matchmaking HTTP and WebSockets both go through it.
export interface NetConditions { latencyMs: number; jitterMs: number; lossPct: number }
export interface NetProxy { port: number; stats(): Record<string, number> | undefined; stop(): Promise<void> }

export async function startNetSim(targetPort: number, c: NetConditions): Promise<NetProxy> {
  const { NetSim } = await import("../../test/support/netsim");
  const sim = await NetSim.start({
    targetHost: "127.0.0.1", targetPort,
    conditions: { latencyMs: c.latencyMs, jitterMs: c.jitterMs, lossPercent: c.lossPct },
  });
  return {
    port: sim.port,
    stats: () => ({ ...sim.stats() }),
    stop: async () => { await sim.close(); },
  };
}
