// A battle room: translates Colyseus hooks into calls on the battle host (src/battle/host.ts),
// which owns the pipeline, and implements the host's output: the wire state, the StateViews,
// patches, replies, kicks and timers. No game rule and no refusal is decided here.
import { Room, SchemaSerializer, type Serializer, type Client, type AuthContext, ServerError, CloseCode, Protocol, getMessageBytes, type RoomException, type RoomMethodName } from "@colyseus/core";
import type { StateView } from "@colyseus/schema";
import type { Battle } from "../src/rules/model";
import { BattleState } from "../schema/BattleState";
import { DetailViews } from "./views";
import { crewOf, showChange } from "./wire-state";
import { logger } from "../src/server/logger";
import { notify } from "../src/server/observers";
import { PatchMeter } from "./patch-meter";
import { encodedStateBytes } from "./state-size";
import { sampleEvery } from "./state-sampler";
import { COLYSEUS_PATCH_RATE_OFF, patchEvery } from "./patch-net";
import { FullStateSerializer } from "./full-state-serializer";
import { Blocklist, normaliseIp } from "../src/server/blocklist";
import { Refused, type AdmitVerdict } from "../src/battle/admission";
import { BattleHost, type Admission, type BattleMetadata, type Change, type HostOutput } from "../src/battle/host";
import type { BattleContext } from "../src/battle/context";
import { connectionFault, forgetConnection, protocolViolation } from "../src/server/connection-faults";
import { coalesceWrites, coalesceWritesOf } from "../src/server/write-coalescing";
import { LogFeed, type FeedRole } from "../src/battle/log-feed";
import { LOG_MESSAGE, type LogMessage } from "../src/commands/log-wire";

/** Close code of a connection kicked by intrusion detection (its key and IP are blocked for a while). */
export const CLOSE_BLOCKED = 4403;
/**
 * Colyseus' own count of clients and seat reservations (maxClients) locks a room when reached.
 * Places are counted by the host instead, for authorised joins only (src/battle/admission.ts), so
 * this is only a ceiling far above any honest use: nothing a stranger does can lock a battle.
 */
const RESERVATION_CEILING = 1000;

/** The option key under which the composition root hands each battle its server's context (defineRoom defaults win over client options). */
export const CONTEXT_OPTION = "__context";

interface UserData { seatId: string; role: FeedRole; ip?: string }
type BattleClient = Client<{ userData: UserData }>;

export class BattleRoom extends Room<{ state: BattleState; metadata: BattleMetadata; client: BattleClient }> {
  override state = new BattleState();
  private host!: BattleHost;
  private ctx!: BattleContext;
  private log = logger.child({ room: "battle" });
  private patchMeter = new PatchMeter();
  private views = new DetailViews();
  /** The combat log's tail and its messages per role (not state: src/commands/log-wire.ts). */
  private feed = new LogFeed();
  /** Full states for joins and reloads, whatever their size (rooms/full-state-serializer.ts). */
  private serializer = new FullStateSerializer<BattleState>((bytes, bufferBytes) => {
    this.log.error("full state larger than the worst case the limits allow", { bytes, bufferBytes });
    notify("stateOverflow", { roomId: this.roomId, bytes, bufferBytes });
  });
  /** Dropped sessions held for RECONNECT_GRACE_SEC, by session id: their seat taken back with its key ends the wait. */
  private graces = new Map<string, ReturnType<Room["allowReconnection"]>>();
  /** The host's timers (turn, idle, seat release): Node's own, cleared when the room goes. */
  private timers = new Set<ReturnType<typeof setTimeout>>();
  /** State size sampling: changed since the last measurement, the last measured size, leaving the sampler. */
  private stateChanged = true;
  private stateBytes?: number;
  private stopSampling?: () => void;
  private leavePatchNet?: () => void;
  private patchQueued = false;

  override async onCreate(rawOptions: unknown) {
    const { [CONTEXT_OPTION]: ctx, ...options } = (rawOptions ?? {}) as Record<string, unknown>;
    this.ctx = ctx as BattleContext;
    this.host = new BattleHost(this.ctx, this.output(), new Blocklist(this.presence), () => this.roomId);
    const restoring = this.ctx.keeper?.takeRestore(options.__restore);
    if (restoring) {
      this.roomId = restoring.id;
      this.setUp();
      this.host.restore(restoring);
      for (const seat of this.host.seats.all()) crewOf(this.state, seat);
      // Nobody is connected yet: the room waits for its clients (the idle timeout still applies).
      this.autoDispose = false;
    } else {
      this.setUp();
      await this.host.create(options).catch(rethrow);
    }
    this.state.assign({ name: this.host.name, turnTimeoutSec: this.host.turnTimeoutSec });
    // Nobody but the creator may take the GM seat: stay locked until the creator is in.
    if (!this.host.seats.gm) void this.lock();
  }

  private setUp() {
    const s = this.ctx.settings;
    this.log = logger.child({ room: this.roomId });
    this.maxClients = RESERVATION_CEILING;
    // Changes are pushed at once; the process's safety net (patch-net.ts) replaces the room's own interval.
    this.patchRate = COLYSEUS_PATCH_RATE_OFF;
    this.leavePatchNet = patchEvery(s.PATCH_RATE_MS, this);
    // Above this many frames a second Colyseus closes the connection (4002): a flood never reaches a handler.
    this.maxMessagesPerSecond = s.MAX_MESSAGES_PER_SEC;
    // Every message, known type or not, goes to the host: bad input gets a typed error, never a kick by Colyseus.
    this.onMessage("*", (client, type, payload) => {
      // The type comes off the wire: a string, a number, or (from a forged frame) anything at all.
      const name = typeof type === "string" ? type.slice(0, 64) : typeof type === "number" ? String(type) : "(unreadable)";
      // the patch this message causes and the reply to it leave in one write (write-coalescing.ts)
      coalesceWrites(client.sessionId);
      this.host.receive({ sessionId: client.sessionId, ip: (client as BattleClient).userData?.ip }, name, payload);
    });
    this.stopSampling = sampleEvery(s.METRICS_SAMPLE_MS, {
      changed: () => this.stateChanged,
      measure: () => { this.stateChanged = false; this.stateBytes = this.encodedStateBytes(); },
      report: () => this.sampleState(),
    });
  }

  /** The host's output: what it needs of this room. */
  private output(): HostOutput {
    return {
      now: () => Date.now(),
      setTimeout: (fn, ms) => this.setTimer(fn, ms),
      send: (sessionId, type, body) => this.clients.getById(sessionId)?.send(type, body),
      endGrace: (sessionId) => this.graces.get(sessionId)?.reject?.(new Error("the seat was released")),
      publish: (change) => this.publish(change),
      kick: (sessionId) => this.clients.getById(sessionId)?.leave(CLOSE_BLOCKED, "blocked for repeated invalid or refused messages"),
      metadata: (meta) => { void this.setMetadata(meta); },
      disconnect: async (how) => { await this.disconnect(how === "moving" ? CloseCode.MAY_TRY_RECONNECT : undefined); },
    };
  }

  /**
   * Node's timers, not the room clock: Colyseus ticks its clock only with the patch interval,
   * which is long (changes are pushed at once), and a tick per room per frame would cost every
   * idle battle. A failing callback is reported like any room handler's.
   */
  private setTimer(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      try {
        fn();
      } catch (err) {
        this.onUncaughtException(err as RoomException, "setTimeout" as RoomMethodName);
      }
    }, ms);
    this.timers.add(t);
    return { clear: () => { clearTimeout(t); this.timers.delete(t); } };
  }

  /**
   * Pushes a change made outside a published command (a seat's connection came or went) with the
   * next turn of the event loop, once however many happen in this one.
   */
  private patchSoon() {
    this.stateChanged = true;
    if (this.patchQueued) return;
    this.patchQueued = true;
    setImmediate(() => {
      this.patchQueued = false;
      if (this.state) this.broadcastPatch();
    });
  }

  /** Colyseus installs its own SchemaSerializer when the state is set: ours takes its place. */
  override setSerializer(serializer: Serializer<BattleState>) {
    super.setSerializer(serializer instanceof SchemaSerializer ? this.serializer : serializer);
  }

  // ---- joins ---------------------------------------------------------------------------------

  override async onAuth(_client: Client, rawOptions: unknown, context: AuthContext): Promise<Admission> {
    return this.host.authorise(rawOptions, normaliseIp(context.ip)).catch(rethrow);
  }

  /** The matchmaking step asks here (src/server/matchmaking-guard.ts), before any seat is reserved. */
  admit(rawOptions: unknown, ip: string | undefined): Promise<AdmitVerdict> {
    return this.host.admit(rawOptions, normaliseIp(ip));
  }

  override onJoin(client: BattleClient, _options: unknown, auth: Admission) {
    let held: ReturnType<Room["allowReconnection"]> | undefined;
    if (auth.kind === "seat") {
      const seat = auth.seat;
      if (seat.role === "gm" && this.locked && this.host.seats.gm === seat && !this.state.crew.has(seat.seatId)) void this.unlock();
      if (!this.autoDispose) this.autoDispose = true;
      const previous = seat.sessionId ? this.clients.getById(seat.sessionId) : undefined;
      if (previous && previous !== client) previous.leave(4000, "seat taken over by a newer connection");
      // The seat's last connection dropped and is held for reconnection: this join with the key (a
      // reload, or the client's rejoin once its quick reconnection attempts gave up) is that client back.
      held = seat.sessionId && seat.sessionId !== client.sessionId ? this.graces.get(seat.sessionId) : undefined;
    }
    const reply = this.host.joined(client.sessionId, auth);
    client.userData = { seatId: reply.seatId, role: reply.role, ip: auth.ip };
    this.patchMeter.attach(client);
    client.view = this.views.viewFor(reply.role, this.host.battle, this.state);
    if (auth.kind === "seat") crewOf(this.state, auth.seat).connected = true;
    client.send("seat", reply);
    this.sendLog(client, this.feed.tailFor(reply.role));
    this.patchSoon();
    if (held && auth.kind === "seat") {
      // Nobody will reconnect the old session any more: free it now (onLeave), not when the grace expires.
      held.reject?.(new Error("the seat was taken back by a newer connection"));
      notify("reconnected", { roomId: this.roomId, seat: this.host.infoOf(client.sessionId), sessionId: client.sessionId });
    }
  }

  override async onDrop(client: BattleClient, code?: number) {
    const info = this.host.infoOf(client.sessionId);
    const member = info && this.state.crew.get(info.seatId);
    if (member) member.connected = false;
    this.patchSoon();
    const mayReconnect = this.host.dropped(client.sessionId, client.userData?.ip, protocolViolation(client.sessionId, code), connectionFault(client.sessionId)?.kind === "joinTimeout");
    if (!mayReconnect || this.ctx.settings.RECONNECT_GRACE_SEC <= 0) return;
    const grace = this.allowReconnection(client, this.ctx.settings.RECONNECT_GRACE_SEC);
    this.graces.set(client.sessionId, grace);
    try {
      await grace;
    } catch {
      // grace expired, or the seat was taken back with its key: onLeave frees the connection;
      // the seat stays, reclaimable with its key
    } finally {
      this.graces.delete(client.sessionId);
    }
  }

  override onReconnect(client: BattleClient) {
    const info = this.host.reconnected(client.sessionId);
    const member = info && this.state.crew.get(info.seatId);
    if (member) member.connected = true;
    this.patchSoon();
    // Colyseus hands the reconnected client its previous (shared) view; the log sent while it was away is in the tail.
    this.patchMeter.attach(client);
    if (client.userData) this.sendLog(client, this.feed.tailFor(client.userData.role));
    notify("reconnected", { roomId: this.roomId, seat: info, sessionId: client.sessionId });
  }

  override onLeave(client: BattleClient) {
    forgetConnection(client.sessionId);
    const seat = this.host.left(client.sessionId);
    const member = seat && this.state.crew.get(seat.seatId);
    if (member && !seat.sessionId) member.connected = false;
    this.patchSoon();
  }

  /**
   * Last line of defence: an exception in a handler or timer is logged and reported, never
   * allowed to reach the process (where it would take every battle down with it).
   */
  override onUncaughtException(error: RoomException, method: RoomMethodName) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    if (cause instanceof ServerError) return; // a refused create or join: Colyseus rethrows it to the client
    const message = cause instanceof Error ? cause.message : String(cause);
    this.log.error("room handler failed", { method, error: message, stack: cause instanceof Error ? cause.stack : undefined });
    notify("roomError", { roomId: this.roomId, method, message });
  }

  override onDispose() {
    this.stopSampling?.();
    this.leavePatchNet?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return this.host?.dispose();
  }

  /** Colyseus shutting down: the battle is handed over, not ended. */
  override onBeforeShutdown() {
    void this.host.standDown("drain");
  }

  // ---- the wire state --------------------------------------------------------------------------

  /**
   * Copies an accepted change into the wire state, reveals what each client may see, pushes the
   * patch at once and each role its new combat-log entries, patch and entries in one write per client.
   */
  private publish(change: Change) {
    this.stateChanged = true;
    showChange(this.state, change);
    this.views.refresh(change.battle, this.state);
    const roles = new Set<FeedRole>();
    for (const client of this.clients) if (client.userData) roles.add(client.userData.role);
    const messages = this.feed.publish(change.battle, change.events, roles);
    if (messages.size) coalesceWritesOf(this.clients.map((c) => c.sessionId));
    this.broadcastPatch();
    const encoded = new Map<LogMessage, Uint8Array>();
    for (const client of this.clients) {
      const message = client.userData && messages.get(client.userData.role);
      if (!message) continue;
      let bytes = encoded.get(message);
      if (!bytes) encoded.set(message, (bytes = logBytes(message)));
      client.enqueueRaw(bytes);
    }
  }

  /** A `log` message to one client (before its join completes, Colyseus holds it for the client). */
  private sendLog(client: BattleClient, message: LogMessage) {
    client.enqueueRaw(logBytes(message));
  }

  override broadcastPatch(): boolean {
    const sent = super.broadcastPatch();
    if (sent) this.patchMeter.patches++;
    return sent;
  }

  /** Reports the last measured state size and the patch traffic since the last sample to the observers. */
  private sampleState() {
    if (this.stateBytes === undefined) return;
    notify("stateSampled", { roomId: this.roomId, stateBytes: this.stateBytes, ...this.patchMeter.take() });
  }

  /**
   * The encoded size of the full state as the largest view receives it (what a client joining
   * now would download): the GM's view holds every detail. The sizer encodes into its own buffer.
   */
  encodedStateBytes(): number {
    const views = new Set<StateView>();
    for (const client of this.clients) if (client.view) views.add(client.view);
    return encodedStateBytes(this.serializer.stateEncoder, views);
  }

  // ---- for the keeper, tests, replay and export ------------------------------------------------

  get commandLog() { return this.host.commandLog; }
  /** Bytes of the `log` message a client of `role` joining now is sent first. */
  logTailBytes(role: FeedRole) { return logBytes(this.feed.tailFor(role)).byteLength; }
  get fullLog() { return this.host.fullLog; }
  replayRecord() { return this.host.replayRecord(); }
  engineState(): Battle { return this.host.battle; }
  /** GET /api/battles/:id/log (through matchMaker.remoteRoomCall). */
  exportLog(gmKey: unknown, ip?: string) { return this.host.exportLog(gmKey, ip); }
}

/** A `log` message as its frame: encoded once, sent to every client that reads the same. */
function logBytes(message: LogMessage): Uint8Array {
  return getMessageBytes.raw(Protocol.ROOM_DATA, LOG_MESSAGE, message);
}

/** A refusal of the host becomes the ServerError Colyseus sends to the client (with its status). */
function rethrow(err: unknown): never {
  throw err instanceof Refused ? new ServerError(err.code, err.message) : err;
}
