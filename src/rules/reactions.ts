// Reactions per round from the initiative total. Source: CE SRD, space-combat.html (Reactions).
import { REACTIONS_BY_INITIATIVE } from "../data/tables";

export function reactionsFromInitiative(initiative: number): number {
  for (const row of REACTIONS_BY_INITIATIVE) if (initiative >= row.min) return row.reactions;
  return 1;
}
