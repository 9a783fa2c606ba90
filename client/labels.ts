// Human-readable names for protocol values.
const BANDS: Record<string, string> = {
  adjacent: "Adjacent", close: "Close", short: "Short", medium: "Medium", long: "Long", veryLong: "Very long", distant: "Distant",
};
const ROLES: Record<string, string> = { pilot: "Pilot", gunner: "Gunner", engineer: "Engineer", captain: "Captain", sensors: "Sensors" };
const RULESETS: Record<string, string> = { ce: "Cepheus Engine", mgt2e: "2e-style" };
const WEAPONS: Record<string, string> = {
  pulseLaser: "Pulse laser", beamLaser: "Beam laser", particleBeam: "Particle beam", missileRack: "Missile rack", sandcaster: "Sandcaster",
};
const SYSTEMS: Record<string, string> = {
  sensors: "Sensors", mDrive: "M-drive", jDrive: "J-drive", powerPlant: "Power plant", fuel: "Fuel", bridge: "Bridge",
  crew: "Crew", hold: "Hold", computer: "Computer", armour: "Armour",
};
const SEVERITY = ["intact", "damaged", "disabled", "destroyed"];

export const bandLabel = (b: string) => BANDS[b] ?? b;
export const roleLabel = (r: string) => ROLES[r] ?? r;
export const rulesetLabel = (r: string) => RULESETS[r] ?? r;
export const weaponLabel = (w: string) => WEAPONS[w] ?? w;
export const systemLabel = (s: string) => SYSTEMS[s] ?? s;
export const severityLabel = (n: number) => SEVERITY[n] ?? String(n);

/** What the missiles panel says of one missile in flight, in round `round`. */
export function missileLine(m: { kind: string; arriveRound: number; reattacks?: number }, round: number, from: string, to: string): string {
  const what = m.kind === "smart" ? "Smart missile" : "Missile";
  // A smart missile that missed attacks again at the end of a later round: it has already arrived once.
  const when = m.reattacks ? `attacks again round ${m.arriveRound}` : `arrives round ${m.arriveRound}`;
  const left = m.arriveRound - round;
  return `${what} from ${from} → ${to}, ${when}${left === 0 ? " (this round)" : left > 0 ? ` (in ${left})` : ""}`;
}
