// The always-visible connection indicator in the top bar.
import type { ConnectionStatus } from "./connection";

export function showStatus(status: ConnectionStatus): void {
  const el = document.getElementById("conn");
  if (!el) return;
  let text: string;
  switch (status.kind) {
    case "idle": text = "not connected"; break;
    case "connecting": text = "connecting…"; break;
    case "connected": text = "connected"; break;
    case "reconnecting": text = status.offline ? "you are offline" : `reconnecting (attempt ${status.attempt} of ${status.maxRetries})`; break;
    case "relocating": text = status.offline ? "you are offline" : `server restarting, rejoining (attempt ${status.attempt})`; break;
    case "disconnected": text = `disconnected: ${status.reason}`; break;
  }
  el.textContent = text;
  el.className = `conn conn-${status.kind}`;
  el.dataset.state = status.kind;
}
