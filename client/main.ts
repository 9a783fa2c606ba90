// Entry point: resume a stored seat after a reload, otherwise show the lobby.
import "./zod-config";
import { BattleSession, clearStoredSeat, errorText, fetchJson, loadStoredSeat } from "./connection";
import { showBattle } from "./battle-view";
import { showLobby, type Catalogue } from "./lobby";
import { showStatus } from "./status";

const root = document.getElementById("app") as HTMLElement;
let catalogue: Catalogue | undefined;

async function getCatalogue(): Promise<Catalogue> {
  catalogue ??= await fetchJson<Catalogue>("/api/catalogue").catch(() => ({}));
  return catalogue;
}

function lobby(notice?: string) {
  showStatus({ kind: "idle" });
  document.title = "Traveller Battles – lobby";
  showLobby(root, { onSession: (s) => void battle(s), notice });
}

async function battle(session: BattleSession) {
  session.onStatus(showStatus);
  document.title = "Traveller Battles – battle";
  showBattle(root, session, { catalogue: await getCatalogue(), onExit: lobby });
}

async function start() {
  const stored = loadStoredSeat();
  if (!stored) return lobby();
  showStatus({ kind: "connecting" });
  root.textContent = "Rejoining your battle…";
  try {
    await battle(await BattleSession.resume(stored));
  } catch (err) {
    clearStoredSeat();
    lobby(`Could not resume your seat: ${errorText(err)}`);
  }
}

void start();
