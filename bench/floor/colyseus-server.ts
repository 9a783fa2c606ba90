// The framework floor: a bare Colyseus 0.18 room (ws-transport, no Redis, none of our code) whose
// command does the least a battle command does to a full battle's state: one ship's hull moves,
// one combat-log entry is pushed (the oldest dropped beyond 100), the patch is broadcast at once
// and the sender gets an ack. With `views`, ship details are @view fields and the clients hold
// two shared StateViews (the GM's: every ship; the players': their own ships), as rooms/views.ts
// shares one view per role. CLIENTS seats a room, SHIPS it holds (the first third, at least one, the
// players'); the heartbeat pings every PING_MS with one retry, as ours. Started by bench/floor.ts.
//
//   node --import tsx bench/floor/colyseus-server.ts PORT plain|views CLIENTS SHIPS PING_MS
import "../../src/server/polyfills";
import http from "node:http";
import { pm2ProbesOffOutsidePm2 } from "../../src/server/pm2-probes";
import { defineServer, defineRoom, Room, type Client } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { Schema, type, view, MapSchema, ArraySchema, StateView } from "@colyseus/schema";
import { COLYSEUS_PATCH_RATE_OFF } from "../../rooms/patch-net";

const [portArg, mode, clientsArg, shipsArg, pingArg] = process.argv.slice(2);
const CLIENTS = Number(clientsArg);
const SHIPS = Number(shipsArg);
const PLAYER_SHIPS = Math.max(1, Math.floor(SHIPS / 3));

class FloorShip extends Schema {
  @type("string") id = "";
  @type("string") name = "";
  @type("string") side = "";
  @type("uint8") thrust = 2;
  @view(1) @type("uint16") hull = 0;
  @view(1) @type("uint16") structure = 0;
  @view(1) @type("uint8") armour = 4;
}

class FloorEntry extends Schema {
  @type("uint32") seq = 0;
  @type("uint16") round = 0;
  @type("string") actor = "";
  @type("string") action = "";
  @type("string") target = "";
  @type("string") dice = "";
  @type("string") result = "";
}

class FloorState extends Schema {
  @type("uint32") version = 0;
  @type({ map: FloorShip }) ships = new MapSchema<FloorShip>();
  @type([FloorEntry]) log = new ArraySchema<FloorEntry>();
}

const LOG_KEPT = 100;

class FloorRoom extends Room<{ state: FloorState }> {
  override maxClients = CLIENTS;
  private views = { gm: new StateView(), players: new StateView() };
  private seq = 0;

  override onCreate() {
    this.state = new FloorState();
    // Patches go out when a command asks (as ours); a null rate would tick the room clock every 16 ms instead.
    this.patchRate = COLYSEUS_PATCH_RATE_OFF;
    for (let i = 0; i < SHIPS; i++) {
      const ship = new FloorShip().assign({ id: `s${i}`, name: `Ship ${i}`, side: i < PLAYER_SHIPS ? "players" : "gm", hull: 40, structure: 40 });
      this.state.ships.set(ship.id, ship);
      this.views.gm.add(ship, 1);
      if (i < PLAYER_SHIPS) this.views.players.add(ship, 1);
    }
    this.onMessage("cmd", (client: Client, m: { seq: number; target: string }) => {
      const ship = this.state.ships.get(m.target) ?? this.state.ships.get("s0")!;
      ship.hull = ship.hull > 0 ? ship.hull - 1 : 40;
      this.state.version++;
      this.state.log.push(new FloorEntry().assign({
        seq: ++this.seq, round: 1 + (this.seq >> 4), actor: "s1", action: "fire", target: ship.id, dice: "3,4",
        result: `Beam laser hits ${ship.name} for 2 hull (effect +2)`,
      }));
      if (this.state.log.length > LOG_KEPT) this.state.log.shift();
      this.broadcastPatch();
      client.send("ack", { seq: m.seq, ok: true, version: this.state.version });
    });
  }

  override onJoin(client: Client) {
    if (mode === "views") {
      client.view = this.clients.length === 1 ? this.views.gm : this.views.players;
    }
  }
}

// As src/index.ts does before Colyseus starts: the floor runs without PM2's probes, as our server does.
pm2ProbesOffOutsidePm2();
const server = defineServer({
  greet: false,
  transport: new WebSocketTransport({ server: http.createServer(), pingInterval: Number(pingArg), pingMaxRetries: 1 }),
  rooms: { floor: defineRoom(FloorRoom) },
});
server.listen(Number(portArg), "127.0.0.1").then(() => console.log("ready"));
