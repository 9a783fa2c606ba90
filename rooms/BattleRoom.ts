// A battle room: a thin adapter between the network and the pure engine. It authenticates
// seats, validates every message with zod, asks the engine, copies the result into the
// wire state, pushes the patch at once, and replies. No game rule lives here.
import { randomInt } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { Room, SchemaSerializer, type Serializer, type Client, type AuthContext, ServerError, type Delayed, CloseCode, type RoomException, type RoomMethodName } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import type { z } from "zod";
import {
  chatMsg, createOptionsSchema, GM_MESSAGES, SHIP_MESSAGES, LIMITS,
  type CreateOptions, type ErrorCode, type ErrorReply, type AckReply, type SeatReply,
  type ShipMessageName, type GmMessageName, turnStamp,
} from "../src/commands";
import { createBattle, applyWithHistory, createHistory, activeShipId } from "../src/engine";
import { AbsentSeats, gmActRefusal, gmControlCommand } from "../src/battle/gm-control";
import type { Actor, Command, ShipCommand } from "../src/engine/types";
import { createDice, type SeededDice } from "../src/rules/dice";
import type { Battle, LogEntry } from "../src/rules/model";
import { BattleState, CrewMember, DETAIL, type LogEntryState } from "../schema/BattleState";
import { syncBattle, appendLog, appendChat } from "../schema/sync";
import { Seats, safeEqual, type Seat } from "./seats";
import { logger } from "../src/server/logger";
import { notify, type SeatInfo } from "./observers";
import { PatchMeter } from "./patch-meter";
import { encodedStateBytes } from "./state-size";
import { FullStateSerializer } from "./full-state-serializer";
import { Guard, DEFAULT_GUARD, STRIKE_CODES, rateClassOf, type GuardSettings } from "./guard";
import { Blocklist, normaliseIp } from "./blocklist";
import { decideJoin, parseJoinOptions, refusalVerdict, type AdmitVerdict, type JoinDecision, type JoinTable } from "./admission";
import { CredentialGuard } from "../src/server/credential-guard";
import { missedJoinDeadline } from "../src/server/join-deadline";
import type { Config } from "../src/server/config";
import type { BattleKeeper, HostedBattle } from "../src/server/persistence/keeper";
import { OwnershipLost, type BattleSnapshot, type LogRecord, type SeatRecord, type StoredBattle } from "../src/server/persistence/types";
import { DurableOutbox } from "../src/server/persistence/outbox";

export type BattleRoomSettings = Pick<Config, "IDLE_TIMEOUT_SEC" | "RECONNECT_GRACE_SEC" | "SEAT_RELEASE_SEC" | "PATCH_RATE_MS" | "METRICS_SAMPLE_MS"
  | "MAX_MESSAGES_PER_SEC" | "IDS_BLOCK_SEC" | "IDS_BLOCK_IP"> & GuardSettings;

/** Close code of a connection kicked by intrusion detection (its key and IP are blocked for a while). */
export const CLOSE_BLOCKED = 4403;
/** WebSocket close code for a frame over the transport's maxPayload (MAX_PAYLOAD_BYTES). */
const CLOSE_TOO_BIG = 1009;
/**
 * Colyseus' own count of clients and seat reservations (maxClients) locks a room when reached.
 * Places are counted by the room instead, for authorised joins only (rooms/admission.ts), so this
 * is only a ceiling far above any honest use: nothing a stranger does can lock a battle.
 */
const RESERVATION_CEILING = 1000;

/** Metadata listed for a lobby: nothing secret. */
export interface BattleMetadata {
  name: string; ruleset: string; phase: string; players: number; maxPlayers: number; hasPassword: boolean; round: number;
  /** Read-only spectators may join (they still need the password when there is one). */
  allowSpectators: boolean;
  /** The player ships a newcomer may choose, with the crew positions already held. */
  playerShips: { id: string; name: string; className: string; taken: string[] }[];
}

interface UserData { seatId: string; ip?: string; spectator?: boolean }
interface Spectator { id: string; name: string }
/** What onAuth admits: a seat (the creator's GM seat, a new or a resumed one), or a spectator. */
type Admission = { ip?: string } & ({ kind: "seat"; seat: Seat } | { kind: "spectator"; name: string });
type Remembered = { kind: "ack"; reply: AckReply } | { kind: "error"; reply: ErrorReply };
type BattleClient = Client<{ userData: UserData }>;

/** Past replies kept per seat so a re-sent command id gets its original answer. */
const REPLY_MEMORY = 256;

export class BattleRoom extends Room<{ state: BattleState; metadata: BattleMetadata; client: BattleClient }> implements HostedBattle {
  override state = new BattleState();

  private battle!: Battle;
  /** The last commands' battles, for the GM's undo (src/engine/history.ts). */
  private history = createHistory();
  /** Absent players' seats waiting to free themselves (SEAT_RELEASE_SEC). */
  private absent!: AbsentSeats;
  private dice!: SeededDice;
  private seed = 0;
  private options!: CreateOptions;
  private seats = new Seats();
  private password: string | undefined;
  /** Set once by the server configuration; Colyseus merges defineRoom() defaults into client options, so settings travel here. */
  static settings: BattleRoomSettings = {
    IDLE_TIMEOUT_SEC: 300, RECONNECT_GRACE_SEC: 60, SEAT_RELEASE_SEC: 60, PATCH_RATE_MS: 50, METRICS_SAMPLE_MS: 5000,
    MAX_MESSAGES_PER_SEC: 40, IDS_BLOCK_SEC: 600, IDS_BLOCK_IP: true, ...DEFAULT_GUARD,
  };
  private settings = BattleRoom.settings;
  /** Durable battles (set by the server configuration): every accepted change is logged before it is published. */
  static keeper: BattleKeeper | undefined;
  /** Failed secrets and lock-outs (set by the server configuration; shared by every battle of the process). */
  static credentials = new CredentialGuard();
  private keeper: BattleKeeper | undefined;
  /** Every accepted change goes through here: logged durably first, published after. */
  private outbox!: DurableOutbox;
  /** Set when the battle is leaving this process: no more commands or joins here. */
  private frozen = false;
  private departure: "ended" | "handOver" | "lost" = "ended";
  private leaving?: Promise<void>;
  /** Every accepted command, in order: with the seed, it replays the battle exactly. */
  readonly commandLog: { actor: Actor; cmd: Command }[] = [];
  /** The full combat log; the wire state keeps only the last rounds. */
  readonly fullLog: LogEntry[] = [];
  private replies = new Map<string, Map<string, Remembered>>();
  private turnTimer?: Delayed;
  private idleTimer?: Delayed;
  private turnSeen = "";
  private revealKey = "";
  private chatSeq = 0;
  private log = logger.child({ room: "battle" });
  private patchMeter = new PatchMeter();
  /** Full states for joins and reloads, whatever their size (rooms/full-state-serializer.ts). */
  private serializer = new FullStateSerializer<BattleState>((bytes, bufferBytes) => {
    this.log.error("full state larger than the worst case the limits allow", { bytes, bufferBytes });
    notify("stateOverflow", { roomId: this.roomId, bytes, bufferBytes });
  });
  private guard!: Guard;
  private blocklist!: Blocklist;
  private spectators = new Map<string, Spectator>();
  private spectatorSeq = 0;
  /** Sessions closed by intrusion detection: they get no reconnection grace. */
  private kicked = new Set<string>();
  /** Sessions whose socket failed a WebSocket protocol check (frame over maxPayload, bad frame): no grace either. */
  private transportErrors = new Map<string, string>();
  /** Dropped sessions held for RECONNECT_GRACE_SEC, by session id: their seat taken back with its key ends the wait. */
  private graces = new Map<string, ReturnType<Room["allowReconnection"]>>();

  override async onCreate(rawOptions: unknown) {
    this.keeper = BattleRoom.keeper;
    this.settings = BattleRoom.settings;
    this.outbox = new DurableOutbox(this.keeper?.store, () => this.roomId, (err) => this.durabilityLost(err),
      (what, err) => this.log.warn(what, { error: err.message }));
    const restoring = this.keeper?.takeRestore((rawOptions as { __restore?: unknown } | null)?.__restore);
    if (restoring) return this.restoreFrom(restoring);
    if (this.keeper?.draining) throw new ServerError(503, "this server is draining: create the battle again");
    const parsed = createOptionsSchema.safeParse(stripJoinFields(rawOptions));
    if (!parsed.success) throw new ServerError(400, `invalid battle options: ${zodMessage(parsed.error)}`);
    this.options = parsed.data;
    try {
      this.battle = createBattle(this.setup());
    } catch (err) {
      throw new ServerError(400, `invalid battle options: ${(err as Error).message}`);
    }
    this.seed = randomInt(0, 2 ** 32);
    this.dice = createDice(this.seed);
    await this.keeper?.store.create(this.roomId, { options: this.options, seed: this.seed, createdAt: Date.now() });
    this.keeper?.hosted.set(this.roomId, this);
    this.begin();
    // Nobody but the creator may take the GM seat: stay locked until the creator is in.
    void this.lock();
    this.log.info("battle created", { name: this.options.name, ruleset: this.options.ruleset, ships: this.options.ships.length });
    notify("battleCreated", { roomId: this.roomId, name: this.options.name, ruleset: this.options.ruleset });
  }

  /** Colyseus installs its own SchemaSerializer when the state is set: ours takes its place. */
  override setSerializer(serializer: Serializer<BattleState>) {
    super.setSerializer(serializer instanceof SchemaSerializer ? this.serializer : serializer);
  }

  /** Rebuilds a battle from its durable log, under its old room id (after its process died or drained). */
  private restoreFrom(stored: StoredBattle) {
    this.roomId = stored.id;
    this.options = stored.meta.options;
    this.seed = stored.meta.seed;
    this.battle = createBattle(this.setup());
    this.dice = createDice(this.seed);
    const seats = new Map<string, Seat>();
    for (const rec of stored.records) {
      const seq = ++this.outbox.seq;
      if (rec.k === "cmd") {
        // The rules are deterministic: the same commands on the same dice give the same battle.
        const r = applyWithHistory(this.battle, this.history, rec.actor, rec.cmd, this.dice);
        if (!r.ok) throw new Error(`battle ${stored.id}: record ${seq} (${rec.cmd.type}) was rejected on replay: ${r.code}`);
        this.commandLog.push({ actor: rec.actor, cmd: rec.cmd });
        this.fullLog.push(...r.events);
        appendLog(this.state, r.events);
        const seat = rec.seat ? seats.get(rec.seat) : undefined;
        if (seat && rec.cid) {
          this.remember(seat, rec.cid, { kind: "ack", reply: { cid: rec.cid, type: rec.type ?? rec.cmd.type, version: this.battle.version, events: r.events.length } });
        }
      } else if (rec.k === "seat") {
        seats.set(rec.seat.seatId, this.seats.restore(rec.seat));
      } else if (rec.k === "unseat") {
        this.seats.remove(rec.seatId);
        this.replies.delete(rec.seatId);
        const gm = rec.by ? seats.get(rec.by) : undefined;
        if (gm && rec.cid) this.remember(gm, rec.cid, { kind: "ack", reply: { cid: rec.cid, type: "gm:releaseSeat", version: this.battle.version, events: 0 } });
      } else {
        appendChat(this.state, { seq: ++this.chatSeq, from: rec.from, fromName: rec.fromName, text: rec.text, at: rec.at });
        const seat = seats.get(rec.from);
        if (seat && rec.cid) this.remember(seat, rec.cid, { kind: "ack", reply: { cid: rec.cid, type: "chat", version: this.battle.version, events: 0 } });
      }
      if (stored.snapshot && stored.snapshot.seq === seq) this.checkSnapshot(stored.snapshot);
    }
    for (const seat of this.seats.all()) {
      const member = new CrewMember().assign({ id: seat.seatId, name: seat.name, role: seat.role, shipId: seat.shipId, connected: false });
      member.positions.push(...seat.positions);
      this.state.crew.set(seat.seatId, member);
    }
    this.keeper?.hosted.set(this.roomId, this);
    this.begin();
    // Nobody is connected yet: the room waits for its clients (the idle timeout still applies), and
    // each player has the reconnection grace, then SEAT_RELEASE_SEC, to come back to the seat.
    for (const seat of this.seats.players) this.absent.gone(seat.seatId, this.settings.RECONNECT_GRACE_SEC * 1000);
    this.autoDispose = false;
    if (!this.seats.gm) void this.lock();
    this.log.info("battle restored", { records: stored.records.length, commands: this.commandLog.length, round: this.battle.round, version: this.battle.version });
  }

  /** The per-round checkpoint must match the replayed battle; a mismatch means lost determinism. */
  private checkSnapshot(snap: BattleSnapshot) {
    if (!isDeepStrictEqual(snap.battle, JSON.parse(JSON.stringify(this.battle))) || !isDeepStrictEqual(snap.dice, this.dice.getState())) {
      this.log.error("replay does not match the round checkpoint", { seq: snap.seq, round: snap.round });
    }
  }

  private setup() {
    return { ruleset: this.options.ruleset, startingRange: this.options.startingRange, ships: this.options.ships, houseRules: this.options.houseRules };
  }

  /** What a new and a restored battle share: settings, wire state, message handlers, timers. */
  private begin() {
    this.password = this.options.password;
    this.maxClients = RESERVATION_CEILING;
    this.patchRate = this.settings.PATCH_RATE_MS;
    // Above this many frames a second Colyseus closes the connection (4002): a flood never reaches a handler.
    this.maxMessagesPerSecond = this.settings.MAX_MESSAGES_PER_SEC;
    this.guard = new Guard(this.settings);
    this.absent = new AbsentSeats(this.settings.SEAT_RELEASE_SEC * 1000, (fn, ms) => this.clock.setTimeout(fn, ms), (id) => this.freeSeat(id));
    this.blocklist = new Blocklist(this.presence);
    this.log = logger.child({ room: this.roomId });
    this.state.name = this.options.name;
    this.state.turnTimeoutSec = this.options.turnTimeoutSec;
    syncBattle(this.state, this.battle, activeShipId(this.battle) ?? "");
    this.updateMetadata();

    // Validation happens inside the handlers (not as Colyseus validators, which kick): bad input gets a typed error.
    for (const name of Object.keys(SHIP_MESSAGES) as ShipMessageName[]) {
      this.onMessage(name, (client, payload) => this.receive(client as BattleClient, name, payload, (seat) => this.onShipMessage(client as BattleClient, seat, name, payload)));
    }
    for (const name of Object.keys(GM_MESSAGES) as GmMessageName[]) {
      this.onMessage(name, (client, payload) => this.receive(client as BattleClient, name, payload, (seat) => this.onGmMessage(client as BattleClient, seat, name, payload)));
    }
    this.onMessage("chat", (client, payload) => this.receive(client as BattleClient, "chat", payload, (seat) => this.onChat(client as BattleClient, seat, payload)));
    this.onMessage("*", (client, type, payload) => {
      // The type comes off the wire: a string, a number, or (from a forged frame) anything at all.
      const name = typeof type === "string" ? type.slice(0, 64) : typeof type === "number" ? String(type) : "(unreadable)";
      this.receive(client as BattleClient, name, payload, () => this.reject(client as BattleClient, name, "invalid", "unknown message type", cidOf(payload)));
    });
    this.afterTurnChange();
    this.touchIdle();
    this.clock.setInterval(() => this.sampleState(), this.settings.METRICS_SAMPLE_MS);
  }

  override async onAuth(_client: Client, rawOptions: unknown, context: AuthContext): Promise<Admission> {
    if (this.frozen) throw new ServerError(503, "the battle is moving to another server: join again in a moment");
    const ip = normaliseIp(context.ip);
    const decision = await this.decide(rawOptions, ip);
    // The creator's first join carries the create options; it becomes the GM.
    if (decision === "creator") return { kind: "seat", seat: await this.durableSeat(this.seats.add("gm", this.options.gmName, "", [])), ip };
    if (decision.kind === "spectator") return { kind: "spectator", name: decision.name, ip };
    if (decision.kind === "newPlayer") {
      return { kind: "seat", seat: await this.durableSeat(this.seats.add("player", decision.name, decision.shipId, decision.positions)), ip };
    }
    return { kind: "seat", seat: decision.seat, ip };
  }

  /**
   * The matchmaking step asks here, on the battle's own process, before any seat is reserved
   * (src/server/matchmaking-guard.ts): would this join be admitted? Nothing is created; failed
   * secrets are counted. `ip` is the request's peer address.
   */
  async admit(rawOptions: unknown, ip: string | undefined): Promise<AdmitVerdict> {
    try {
      if (this.frozen) return { ok: false, status: 503, error: "the battle is moving to another server: join again in a moment", retryAfterSec: 1 };
      const decision = await this.decide(rawOptions, normaliseIp(ip));
      // Until its creator is in, a battle is locked: the creator joins through `create`, never by id.
      if (decision === "creator") return { ok: false, status: 409, error: "the battle is not open yet" };
      return { ok: true };
    } catch (err) {
      return refusalVerdict(err);
    }
  }

  /** Blocks first (intrusion detection), then the join rules (rooms/admission.ts). Throws a ServerError to refuse. */
  private async decide(rawOptions: unknown, ip: string | undefined): Promise<JoinDecision | "creator"> {
    if (this.settings.IDS_BLOCK_IP && await this.blocklist.isBlocked("ip", ip)) return this.refuseBlocked(ip, "IP address");
    if (!this.seats.gm) return "creator";
    const opts = parseJoinOptions(rawOptions);
    const key = opts.gmKey ?? opts.seatKey;
    if (key && await this.blocklist.isBlocked("key", key)) return this.refuseBlocked(ip, "seat key");
    return decideJoin(this.joinTable(), opts, ip);
  }

  private joinTable(): JoinTable {
    return {
      roomId: this.roomId, seats: this.seats, password: this.password, battle: this.battle, credentials: BattleRoom.credentials,
      maxPlayers: this.options.maxPlayers, allowSpectators: this.options.allowSpectators,
      maxSpectators: LIMITS.maxSpectators, spectators: this.spectators.size,
    };
  }

  /** A new seat is logged before its key goes out, so it survives a move to another process. */
  private async durableSeat(seat: Seat): Promise<Seat> {
    if (!this.keeper) return seat;
    const rec: SeatRecord = { seatId: seat.seatId, key: seat.key, role: seat.role, name: seat.name, shipId: seat.shipId, positions: seat.positions };
    try {
      await new Promise<void>((resolve, reject) => this.outbox.commit({ k: "seat", seat: rec }, resolve, undefined, reject));
    } catch (err) {
      this.seats.remove(seat.seatId);
      throw new ServerError(503, `the seat could not be recorded: ${(err as Error).message}`);
    }
    return seat;
  }

  private refuseBlocked(ip: string | undefined, what: string): never {
    notify("securityEvent", { kind: "blockedJoin", roomId: this.roomId, ip, reason: `blocked ${what}` });
    this.log.warn("join refused: blocked", { ip, what });
    throw new ServerError(403, "blocked for repeated invalid or refused messages; try again later");
  }

  override onJoin(client: BattleClient, _options: unknown, auth: Admission) {
    if (auth.kind === "spectator") return this.joinSpectator(client, auth.name, auth.ip);
    const seat = auth.seat;
    if (seat.role === "gm" && this.locked && this.seats.gm === seat && !this.state.crew.has(seat.seatId)) void this.unlock();
    if (!this.autoDispose) this.autoDispose = true;
    const previous = seat.sessionId ? this.clients.getById(seat.sessionId) : undefined;
    if (previous && previous !== client) previous.leave(4000, "seat taken over by a newer connection");
    // The seat's last connection dropped and is held for reconnection: this join with the key (a
    // reload, or the client's rejoin once its quick reconnection attempts gave up) is that client back.
    const held = seat.sessionId && seat.sessionId !== client.sessionId ? this.graces.get(seat.sessionId) : undefined;
    this.seats.bind(seat, client.sessionId);
    this.absent.back(seat.seatId);
    this.patchMeter.attach(client);
    this.watchTransport(client);
    client.userData = { seatId: seat.seatId, ip: auth.ip };
    client.view = new StateView();
    this.refreshView(client, seat, this.lockedByPlayers());

    let member = this.state.crew.get(seat.seatId);
    if (!member) {
      member = new CrewMember().assign({ id: seat.seatId, name: seat.name, role: seat.role, shipId: seat.shipId });
      member.positions.push(...seat.positions);
      this.state.crew.set(seat.seatId, member);
    }
    member.connected = true;
    const reply: SeatReply = { seatId: seat.seatId, role: seat.role, key: seat.key, shipId: seat.shipId, positions: seat.positions };
    client.send("seat", reply);
    if (seat.role === "gm") this.sendSpectators();
    this.updateMetadata();
    this.log.info("joined", { seat: seat.seatId, role: seat.role, ship: seat.shipId });
    notify("joined", { roomId: this.roomId, seat: seatInfo(seat), sessionId: client.sessionId, ip: auth.ip });
    if (held) {
      // Nobody will reconnect the old session any more: free it now (onLeave), not when the grace expires.
      held.reject?.(new Error("the seat was taken back by a newer connection"));
      notify("reconnected", { roomId: this.roomId, seat: seatInfo(seat), sessionId: client.sessionId });
    }
  }

  /**
   * ws reports a frame over maxPayload (or a malformed frame) as an 'error' on the socket and then
   * destroys it, so the close code the room sees is often 1006, like a network drop. Remember it.
   */
  private watchTransport(client: BattleClient) {
    const ref = (client as unknown as { ref?: { on?(event: "error", fn: (err: Error) => void): void } }).ref;
    ref?.on?.("error", (err) => { this.transportErrors.set(client.sessionId, String(err?.message ?? err).slice(0, 100)); });
  }

  private closeReason(sessionId: string, code: number | undefined): string {
    const transport = this.transportErrors.get(sessionId);
    if (transport) return /payload/i.test(transport) ? `message over MAX_PAYLOAD_BYTES (${transport})` : `WebSocket protocol error: ${transport}`;
    return code === CLOSE_TOO_BIG ? "message over MAX_PAYLOAD_BYTES" : "message flood over MAX_MESSAGES_PER_SEC or an undecodable frame";
  }

  /** A read-only watcher: an empty StateView (public fields only), no crew entry, no key. */
  private joinSpectator(client: BattleClient, name: string, ip: string | undefined) {
    const spectator: Spectator = { id: `v${++this.spectatorSeq}`, name };
    this.spectators.set(client.sessionId, spectator);
    this.patchMeter.attach(client);
    this.watchTransport(client);
    client.userData = { seatId: spectator.id, ip, spectator: true };
    client.view = new StateView();
    const reply: SeatReply = { seatId: spectator.id, role: "spectator", key: "", shipId: "", positions: [] };
    client.send("seat", reply);
    this.sendSpectators();
    this.log.info("spectator joined", { seat: spectator.id });
    notify("joined", { roomId: this.roomId, seat: { seatId: spectator.id, role: "spectator", shipId: "" }, sessionId: client.sessionId, ip });
  }

  override async onDrop(client: BattleClient, code?: number) {
    const seat = this.seats.ofSession(client.sessionId);
    const member = seat && this.state.crew.get(seat.seatId);
    if (member) member.connected = false;
    notify("dropped", { roomId: this.roomId, seat: this.infoOf(client), sessionId: client.sessionId, ip: client.userData?.ip });
    const protocolError = code === CloseCode.WITH_ERROR || code === CLOSE_TOO_BIG || this.transportErrors.has(client.sessionId);
    if (protocolError && !this.kicked.has(client.sessionId)) {
      // Colyseus closed it (a flood over MAX_MESSAGES_PER_SEC, an undecodable frame) or ws did (over MAX_PAYLOAD_BYTES).
      notify("securityEvent", { kind: "protocolKick", roomId: this.roomId, seat: this.infoOf(client), ip: client.userData?.ip, reason: this.closeReason(client.sessionId, code) });
      this.log.warn("connection closed for a protocol violation", { seat: client.userData?.seatId, ip: client.userData?.ip, reason: this.closeReason(client.sessionId, code) });
    }
    // A kicked or misbehaving connection gets no grace: coming back means joining again, through onAuth.
    // A connection closed for not finishing its join handshake in time holds nothing either.
    const misbehaved = this.kicked.has(client.sessionId) || protocolError || client.userData?.spectator || missedJoinDeadline(client);
    if (!misbehaved && this.settings.RECONNECT_GRACE_SEC > 0) {
      const grace = this.allowReconnection(client, this.settings.RECONNECT_GRACE_SEC);
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
  }

  override onReconnect(client: BattleClient) {
    const seat = this.seats.ofSession(client.sessionId);
    const member = seat && this.state.crew.get(seat.seatId);
    if (member) member.connected = true;
    this.patchMeter.attach(client);
    if (seat) this.refreshView(client, seat, this.lockedByPlayers());
    notify("reconnected", { roomId: this.roomId, seat: seat && seatInfo(seat), sessionId: client.sessionId });
  }

  override onLeave(client: BattleClient) {
    this.kicked.delete(client.sessionId);
    this.transportErrors.delete(client.sessionId);
    if (this.spectators.delete(client.sessionId)) {
      this.guard.forget(client.sessionId);
      this.sendSpectators();
      notify("left", { roomId: this.roomId, seat: { seatId: client.userData?.seatId ?? "", role: "spectator", shipId: "" }, sessionId: client.sessionId });
      return;
    }
    const seat = this.seats.unbind(client.sessionId);
    const member = seat && this.state.crew.get(seat.seatId);
    if (member && !seat.sessionId) member.connected = false;
    if (seat && seat.role === "player" && !seat.sessionId && this.seats.all().includes(seat)) this.absent.gone(seat.seatId);
    this.updateMetadata();
    notify("left", { roomId: this.roomId, seat: seat && seatInfo(seat), sessionId: client.sessionId });
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

  override async onDispose() {
    this.log.info("battle disposed", { phase: this.battle?.phase, round: this.battle?.round, commands: this.commandLog.length, departure: this.departure });
    this.frozen = true;
    if (this.battle) notify("battleDisposed", { roomId: this.roomId, battle: this.battle });
    if (this.keeper && this.battle) await this.keeper.left(this.roomId, this.departure);
  }

  override broadcastPatch(): boolean {
    const sent = super.broadcastPatch();
    if (sent) this.patchMeter.patches++;
    return sent;
  }

  /** Reports the encoded state size and the patch traffic since the last sample to the observers. */
  private sampleState() {
    notify("stateSampled", { roomId: this.roomId, stateBytes: this.encodedStateBytes(), ...this.patchMeter.take() });
  }

  /**
   * The encoded size of the full state as the largest view receives it (what a client joining
   * now would download): the GM's view holds every detail. Colyseus keeps the state encoder on
   * its private serializer; the sizer encodes into its own buffer and changes nothing.
   */
  encodedStateBytes(): number {
    const encoder = this.serializer.stateEncoder;
    const views: StateView[] = [];
    for (const client of this.clients) if (client.view) views.push(client.view);
    return encodedStateBytes(encoder, views);
  }

  /** Colyseus shutting down: the battle is handed over, not ended. */
  override onBeforeShutdown() {
    void this.standDown("drain");
  }

  /**
   * The battle leaves this process. "drain": everything applied is made durable, then the room
   * closes with "may try reconnect" and is released for another process to restore. "lost":
   * another process owns it now; what was not durable is dropped (it was never acknowledged).
   */
  standDown(reason: "drain" | "lost"): Promise<void> {
    this.leaving ??= (async () => {
      this.frozen = true;
      this.turnTimer?.clear();
      this.idleTimer?.clear();
      this.departure = reason === "drain" ? "handOver" : "lost";
      if (reason === "drain") await this.outbox.settled();
      else this.outbox.drop();
      this.log.info("battle leaving this process", { reason });
      await this.disconnect(CloseCode.MAY_TRY_RECONNECT);
    })();
    return this.leaving;
  }

  // ---- messages ----------------------------------------------------------------------

  /**
   * Every client message passes here first: the rate limit of its class (a refusal is a typed
   * `rateLimited` error, never a silent drop), then the sender's role: spectators are read-only,
   * a connection without a seat may send nothing.
   */
  private receive(client: BattleClient, type: string, payload: unknown, handle: (seat: Seat) => void) {
    const subject = client.userData?.seatId ?? client.sessionId;
    const cls = rateClassOf(type);
    const allowed = this.guard.allow(subject, cls);
    if (!allowed.ok) {
      notify("securityEvent", { kind: "rateLimited", roomId: this.roomId, seat: this.infoOf(client), ip: client.userData?.ip, type, reason: `${cls} rate limit` });
      return this.reject(client, type, "rateLimited", `too many ${cls} messages; retry in ${allowed.retryMs} ms`, cidOf(payload));
    }
    if (client.userData?.spectator) return this.reject(client, type, "readOnly", "spectators are read-only", cidOf(payload));
    const seat = this.seatOf(client, type, payload);
    if (seat) handle(seat);
  }

  private onShipMessage(client: BattleClient, seat: Seat, type: ShipMessageName, payload: unknown) {
    const parsed = SHIP_MESSAGES[type].safeParse(payload);
    if (!parsed.success) return this.reject(client, type, "invalid", zodMessage(parsed.error), cidOf(payload));
    if (seat.role !== "player") {
      return this.reject(client, type, "forbidden", "the GM acts for NPC ships with gm:act", parsed.data.cid);
    }
    const { cid, v, ...fields } = parsed.data as { cid: string; v?: number } & Record<string, unknown>;
    const cmd = { type: type.slice("space:".length), shipId: seat.shipId, ...fields } as ShipCommand;
    // Ending the turn is the captain's call when a connected crew member holds the position (docs/rules.md).
    const captainAboard = this.seats.players.some((p) => p !== seat && p.shipId === seat.shipId && p.sessionId && !this.graces.has(p.sessionId) && p.positions.includes("captain"));
    this.run(client, seat, type, cid, v, { kind: "crew", shipId: seat.shipId, roles: seat.positions, ...(captainAboard ? { captainAboard } : {}) }, cmd);
  }

  private onGmMessage(client: BattleClient, seat: Seat, type: GmMessageName, payload: unknown) {
    const parsed = GM_MESSAGES[type].safeParse(payload);
    if (!parsed.success) return this.reject(client, type, "invalid", zodMessage(parsed.error), cidOf(payload));
    const msg = parsed.data as z.infer<(typeof GM_MESSAGES)[GmMessageName]>;
    if (seat.role !== "gm") return this.reject(client, type, "forbidden", "only the GM may send gm:* messages", msg.cid);
    if (type === "gm:releaseSeat") return this.releaseSeat(client, seat, msg as z.infer<typeof GM_MESSAGES["gm:releaseSeat"]>);
    let cmd: Command;
    switch (type) {
      case "gm:start": cmd = { type: "start" }; break;
      case "gm:end": { const m = msg as z.infer<typeof GM_MESSAGES["gm:end"]>; cmd = { type: "end", winner: m.winner, reason: m.reason }; break; }
      case "gm:addShip": cmd = { type: "addShip", ship: (msg as z.infer<typeof GM_MESSAGES["gm:addShip"]>).ship }; break;
      case "gm:removeShip": cmd = { type: "removeShip", shipId: (msg as z.infer<typeof GM_MESSAGES["gm:removeShip"]>).shipId }; break;
      case "gm:act": {
        const m = msg as z.infer<typeof GM_MESSAGES["gm:act"]>;
        cmd = { ...m.command, shipId: m.shipId } as ShipCommand;
        const refusal = gmActRefusal(cmd, this.battle.ships[m.shipId]?.side === "players", this.crewConnected(m.shipId));
        if (refusal) return this.reject(client, type, "seatInUse", refusal, msg.cid, seat);
        break;
      }
      default: {
        const control = gmControlCommand(type, msg);
        if (!control) return;
        cmd = control;
      }
    }
    this.run(client, seat, type, msg.cid, "v" in msg ? msg.v : undefined, { kind: "gm" }, cmd);
  }

  /** The GM frees a player's seat (the player is gone) so that somebody else can take it. */
  private releaseSeat(client: BattleClient, gm: Seat, msg: { cid: string; seatId: string }) {
    if (this.answeredBefore(client, gm, msg.cid)) return;
    const seat = this.seats.all().find((s) => s.seatId === msg.seatId && s.role === "player");
    if (!seat) return this.reject(client, "gm:releaseSeat", "unknownSeat", `no player seat '${msg.seatId}'`, msg.cid, gm);
    // A player whose page closed is within the reconnection grace: absent too, so releasable.
    if (seat.sessionId && !this.graces.has(seat.sessionId)) return this.reject(client, "gm:releaseSeat", "seatInUse", "the player is connected; only an absent player's seat can be released", msg.cid, gm);
    if (this.frozen) return this.reject(client, "gm:releaseSeat", "unavailable", "the battle is moving to another server", msg.cid);
    const ack: AckReply = { cid: msg.cid, type: "gm:releaseSeat", version: this.battle.version, events: 0 };
    this.remember(gm, msg.cid, { kind: "ack", reply: ack });
    this.freeSeat(seat.seatId, { gm, cid: msg.cid, done: () => {
      client.send("ack", ack);
      notify("messageAccepted", { roomId: this.roomId, seat: seatInfo(gm), ip: client.userData?.ip, type: "gm:releaseSeat", cid: msg.cid });
    } });
  }

  /** Frees a player seat: by the GM (gm:releaseSeat), or by itself once its player is gone past SEAT_RELEASE_SEC. */
  private freeSeat(seatId: string, by?: { gm: Seat; cid: string; done: () => void }) {
    const seat = this.seats.all().find((s) => s.seatId === seatId && s.role === "player");
    if (!seat || this.frozen) return;
    const held = seat.sessionId ? this.graces.get(seat.sessionId) : undefined;
    this.absent.back(seat.seatId);
    this.seats.remove(seat.seatId);
    this.replies.delete(seat.seatId);
    // Nobody will come back to the held connection: end its grace now.
    held?.reject?.(new Error("the seat was released"));
    this.outbox.commit({ k: "unseat", seatId: seat.seatId, ...(by ? { by: by.gm.seatId, cid: by.cid } : {}) }, () => {
      this.state.crew.delete(seat.seatId);
      this.updateMetadata();
      // The active player ship, now crewed by nobody, passes its turn at once (afterTurnChange).
      if (activeShipId(this.battle) === seat.shipId && !this.seats.crewedShips().has(seat.shipId)) {
        this.turnSeen = "";
        this.afterTurnChange();
      }
      this.broadcastPatch();
      by?.done();
      this.log.info(by ? "seat released by the GM" : "seat of an absent player released", { seat: seat.seatId, ship: seat.shipId });
    });
  }

  /** Whether a crew member of this ship is connected now (not dropped, not within the grace). */
  private crewConnected(shipId: string): boolean {
    return this.seats.players.some((p) => p.shipId === shipId && p.sessionId !== null && !this.graces.has(p.sessionId));
  }

  /** The GM sees who is watching: names and ids of the spectators, sent on every change. */
  private sendSpectators() {
    const gm = this.seats.gm;
    const client = gm?.sessionId ? this.clients.getById(gm.sessionId) : undefined;
    client?.send("spectators", { spectators: [...this.spectators.values()].map((v) => ({ id: v.id, name: v.name })) });
  }

  /** A chat line is a command like any other: logged, then shown and acknowledged; a re-sent cid shows nothing twice. */
  private onChat(client: BattleClient, seat: Seat, payload: unknown) {
    const parsed = chatMsg.safeParse(payload);
    if (!parsed.success) return this.reject(client, "chat", "invalid", zodMessage(parsed.error), cidOf(payload));
    const { cid, text } = parsed.data;
    if (this.answeredBefore(client, seat, cid)) return;
    if (this.frozen) return this.reject(client, "chat", "unavailable", "the battle is moving to another server", cid);
    const at = Date.now();
    const ack: AckReply = { cid, type: "chat", version: this.battle.version, events: 0 };
    this.remember(seat, cid, { kind: "ack", reply: ack });
    this.outbox.commit({ k: "chat", from: seat.seatId, fromName: seat.name, text, at, cid }, () => {
      appendChat(this.state, { seq: ++this.chatSeq, from: seat.seatId, fromName: seat.name, text, at });
      this.broadcastPatch();
      client.send("ack", ack);
      notify("messageAccepted", { roomId: this.roomId, seat: seatInfo(seat), ip: client.userData?.ip, type: "chat", cid });
    });
  }

  /** Validate-free core shared by every command: idempotency, staleness, engine, sync, reply. */
  private run(client: BattleClient, seat: Seat, type: string, cid: string, v: number | undefined, actor: Actor, cmd: Command) {
    if (this.answeredBefore(client, seat, cid)) return;
    if (this.frozen) return this.reject(client, type, "unavailable", "the battle is moving to another server: re-send once reconnected", cid);
    if (v !== undefined && v !== turnStamp(this.battle)) {
      return this.reject(client, type, "stale", `made for turn ${v}, the battle is at turn ${turnStamp(this.battle)}`, cid, seat);
    }
    this.execute(actor, cmd, { client, seat, type, cid });
  }

  /** Applies a command to the engine and, when accepted, pushes the new state at once. */
  private execute(actor: Actor, cmd: Command, origin?: { client: BattleClient; seat: Seat; type: string; cid: string }) {
    if (this.frozen) return;
    const started = performance.now();
    const roundBefore = this.battle.round;
    const phaseBefore = this.battle.phase;
    // The in-memory engine is authoritative and applies commands strictly in arrival order;
    // what a command changed is published only once its log record is durable.
    const result = applyWithHistory(this.battle, this.history, actor, cmd, this.dice);
    if (!result.ok) {
      if (origin) this.reject(origin.client, origin.type, result.code, result.message, origin.cid, origin.seat);
      return result;
    }
    this.commandLog.push({ actor, cmd });
    this.fullLog.push(...result.events);
    const ack: AckReply | undefined = origin && { cid: origin.cid, type: origin.type, version: this.battle.version, events: result.events.length };
    if (origin && ack) this.remember(origin.seat, origin.cid, { kind: "ack", reply: ack });
    const checkpoint = this.battle.round !== roundBefore || this.battle.phase !== phaseBefore;
    const rec: LogRecord = { k: "cmd", actor, cmd, ...(origin ? { seat: origin.seat.seatId, type: origin.type, cid: origin.cid } : {}) };
    this.outbox.commit(rec, () => this.publish(actor, cmd, result.events, started, origin, ack), checkpoint ? (seq) => this.checkpoint(seq) : undefined);
    return result;
  }

  /** Sends out what an accepted (and now durable) command changed: state patch, then its ack. */
  private publish(actor: Actor, cmd: Command, events: LogEntry[], started: number, origin: { client: BattleClient; seat: Seat; type: string; cid: string } | undefined, ack: AckReply | undefined) {
    syncBattle(this.state, this.battle, activeShipId(this.battle) ?? "");
    const detailed = appendLog(this.state, events);
    this.refreshReveals();
    if (detailed.length) this.revealLogDetails(detailed);
    this.afterTurnChange();
    this.touchIdle();
    const applied = performance.now();
    this.broadcastPatch();
    notify("commandAccepted", {
      roomId: this.roomId, seat: origin && seatInfo(origin.seat), ip: origin?.client.userData?.ip, type: origin?.type ?? cmd.type, cid: origin?.cid,
      actor, cmd, events, battle: this.battle, durationMs: applied - started,
    });
    notify("patchSent", { roomId: this.roomId, latencyMs: performance.now() - started });
    if (origin && ack) origin.client.send("ack", ack);
    if (this.battle.phase === "ended") this.onBattleEnded();
    else this.updateMetadata();
  }

  // ---- durability ------------------------------------------------------------------------

  /** The battle as it stands now (after record `seq`): taken synchronously, written later. */
  private checkpoint(seq: number): BattleSnapshot {
    return {
      seq, version: this.battle.version, round: this.battle.round, at: Date.now(),
      battle: structuredClone(this.battle), dice: this.dice.getState(),
    };
  }

  /** An append failed: this copy can no longer promise durability, so it steps aside. */
  private durabilityLost(err: Error) {
    if (this.frozen && this.leaving) return;
    if (err instanceof OwnershipLost) this.log.warn("battle taken over by another process", { error: err.message });
    else this.log.error("durable log append failed", { error: err.message });
    void this.standDown("lost");
  }

  private reject(client: BattleClient, type: string, code: ErrorCode, message: string, cid?: string, seat?: Seat) {
    const reply: ErrorReply = { type, code, message, ...(cid ? { cid } : {}) };
    // Refusals that depend on the moment (turn, phase) are not replayed: a re-send is judged anew.
    if (seat && cid && code !== "stale" && code !== "unavailable") this.remember(seat, cid, { kind: "error", reply });
    this.outbox.later(() => client.send("error", reply));
    const info = seat ? seatInfo(seat) : this.infoOf(client);
    const ip = client.userData?.ip;
    notify("commandRejected", { roomId: this.roomId, seat: info, ip, type, cid, code, message });
    if (STRIKE_CODES.has(code) && !this.kicked.has(client.sessionId)) {
      notify("securityEvent", { kind: "strike", roomId: this.roomId, seat: info, ip, type, reason: code });
      if (this.guard.strike(client.userData?.seatId ?? client.sessionId)) this.kick(client, seat ?? this.seats.ofSession(client.sessionId), code);
    }
  }

  /**
   * Intrusion detection: too many refusals in the window. The connection is closed with
   * CLOSE_BLOCKED, and its seat key (and IP address, if IDS_BLOCK_IP) refused for IDS_BLOCK_SEC.
   */
  private kick(client: BattleClient, seat: Seat | undefined, lastCode: ErrorCode) {
    this.kicked.add(client.sessionId);
    const sec = this.settings.IDS_BLOCK_SEC;
    const ip = client.userData?.ip;
    const blocks: Promise<void>[] = [];
    if (seat) blocks.push(this.blocklist.block("key", seat.key, sec));
    if (ip && this.settings.IDS_BLOCK_IP) blocks.push(this.blocklist.block("ip", ip, sec));
    Promise.all(blocks).catch((err) => this.log.error("could not record a block", { error: err }));
    const reason = `${this.settings.IDS_MAX_STRIKES} refused messages within ${this.settings.IDS_WINDOW_SEC} s (last: ${lastCode})`;
    notify("securityEvent", { kind: "kicked", roomId: this.roomId, seat: this.infoOf(client), ip, reason });
    this.log.warn("client kicked and blocked", { seat: client.userData?.seatId, ip, blockSec: sec, reason });
    client.leave(CLOSE_BLOCKED, "blocked for repeated invalid or refused messages");
  }

  private infoOf(client: BattleClient): SeatInfo | undefined {
    const seat = this.seats.ofSession(client.sessionId);
    if (seat) return seatInfo(seat);
    const spectator = this.spectators.get(client.sessionId);
    return spectator && { seatId: spectator.id, role: "spectator", shipId: "" };
  }

  private seatOf(client: BattleClient, type: string, payload: unknown): Seat | undefined {
    const seat = this.seats.ofSession(client.sessionId);
    if (!seat) this.reject(client, type, "notSeated", "this connection holds no seat", cidOf(payload));
    return seat;
  }

  /**
   * A command id this seat sent before (any message type): its original reply goes out again and
   * nothing is applied. A reply still waiting for its log append goes out after it, never before.
   */
  private answeredBefore(client: BattleClient, seat: Seat, cid: string): boolean {
    const earlier = this.replies.get(seat.seatId)?.get(cid);
    if (!earlier) return false;
    this.outbox.later(() => client.send(earlier.kind, earlier.reply));
    return true;
  }

  private remember(seat: Seat, cid: string, reply: Remembered) {
    let memory = this.replies.get(seat.seatId);
    if (!memory) this.replies.set(seat.seatId, (memory = new Map()));
    memory.set(cid, reply);
    if (memory.size > REPLY_MEMORY) memory.delete(memory.keys().next().value as string);
  }

  // ---- turns, timers, views --------------------------------------------------------------

  private afterTurnChange() {
    const key = `${this.battle.phase}:${this.battle.round}:${this.battle.turnIndex}:${this.battle.paused === true}`;
    if (key === this.turnSeen) return;
    this.turnSeen = key;
    this.turnTimer?.clear();
    this.turnTimer = undefined;
    // Paused by the GM: no clock runs; on resume the turn gets its full time again.
    if (this.battle.phase !== "combat" || this.battle.paused) {
      this.state.turnEndsAt = 0;
      return;
    }
    const { round, turnIndex } = this.battle;
    const active = activeShipId(this.battle);
    const ship = active ? this.battle.ships[active] : undefined;
    // A player ship nobody crews would only stall the table: its turn passes at once.
    if (ship && ship.side === "players" && !this.seats.crewedShips().has(ship.id)) {
      this.clock.setTimeout(() => this.execute({ kind: "system" }, { type: "timeout", round, turnIndex }), 0);
      this.state.turnEndsAt = Date.now();
      return;
    }
    const ms = this.options.turnTimeoutSec * 1000;
    this.state.turnEndsAt = Date.now() + ms;
    this.turnTimer = this.clock.setTimeout(() => this.execute({ kind: "system" }, { type: "timeout", round, turnIndex }), ms);
  }

  private touchIdle() {
    this.idleTimer?.clear();
    this.idleTimer = this.clock.setTimeout(() => {
      if (this.battle.phase !== "ended") this.execute({ kind: "system" }, { type: "idleEnd" });
      this.log.info("idle battle closed");
      // The clients see the battle end (once durable) before the room closes.
      void this.outbox.settled().then(() => this.disconnect());
    }, this.settings.IDLE_TIMEOUT_SEC * 1000);
  }

  private onBattleEnded() {
    this.turnTimer?.clear();
    this.state.turnEndsAt = 0;
    this.updateMetadata();
    this.log.info("battle ended", { result: this.battle.result, rounds: this.battle.round, commands: this.commandLog.length });
  }

  /** Which ships a seat sees in detail: the GM all, a player its own and those its side has locked. */
  private refreshView(client: BattleClient, seat: Seat, locked: Set<string>) {
    const view = client.view;
    if (!view) return;
    for (const ship of this.state.ships.values()) {
      const entitled = this.entitled(seat, ship.id, locked);
      const has = view.hasTag(ship, DETAIL);
      if (entitled && !has) view.add(ship, DETAIL);
      else if (!entitled && has) view.remove(ship, DETAIL);
    }
    for (const entry of this.state.log) {
      if (entry.detail && !view.hasTag(entry, DETAIL) && this.entitled(seat, entry.target, locked)) view.add(entry, DETAIL);
    }
  }

  /** Shows the full text of new log entries to the clients entitled to their target's details. */
  private revealLogDetails(entries: LogEntryState[]) {
    const locked = this.lockedByPlayers();
    for (const client of this.clients) {
      const seat = this.seats.ofSession(client.sessionId);
      if (!seat || !client.view) continue;
      for (const e of entries) if (this.entitled(seat, e.target, locked)) client.view.add(e, DETAIL);
    }
  }

  private entitled(seat: Seat, shipId: string, locked: Set<string>): boolean {
    return seat.role === "gm" || shipId === seat.shipId || locked.has(shipId);
  }

  /** Re-filters every client's view, but only when the set of revealed ships or the ships changed. */
  private refreshReveals() {
    const locked = this.lockedByPlayers();
    const key = `${[...locked].sort().join(",")}/${this.state.ships.size}`;
    if (key === this.revealKey) return;
    this.revealKey = key;
    for (const client of this.clients) {
      const seat = this.seats.ofSession(client.sessionId);
      if (seat) this.refreshView(client, seat, locked);
    }
  }

  /** NPC ships that some living player ship holds a sensor lock on: their details go to every player. */
  private lockedByPlayers(): Set<string> {
    const locked = new Set<string>();
    for (const s of Object.values(this.battle.ships)) {
      if (s.side === "players" && !s.destroyed) s.lockedOn.forEach((id) => locked.add(id));
    }
    return locked;
  }

  private updateMetadata() {
    const playerShips = Object.values(this.battle.ships)
      .filter((s) => s.side === "players" && !s.destroyed && !s.escaped)
      .map((s) => ({ id: s.id, name: s.name, className: s.className, taken: this.seats.players.filter((p) => p.shipId === s.id).flatMap((p) => p.positions) }));
    const meta: BattleMetadata = {
      name: this.options.name, ruleset: this.options.ruleset, phase: this.battle.phase, round: this.battle.round,
      players: this.seats.players.length, maxPlayers: this.options.maxPlayers, hasPassword: this.password !== undefined, playerShips,
      allowSpectators: this.options.allowSpectators,
    };
    const m = this.metadata;
    if (m && JSON.stringify(m) === JSON.stringify(meta)) return;
    void this.setMetadata(meta);
  }

  // ---- for tests, replay and export ----------------------------------------------------

  /** The seed and accepted commands: everything needed to replay this battle. */
  replayRecord() {
    return {
      seed: this.seed,
      setup: this.setup(),
      commands: this.commandLog,
    };
  }
  engineState(): Battle {
    return this.battle;
  }

  /** The full combat log and replay record, for the GM only (GET /api/battles/:id/log); `ip` is the request's peer address. */
  exportLog(gmKey: unknown, ip?: string) {
    const locked = BattleRoom.credentials.battleLocked(this.roomId, ip, "GM key");
    if (locked) return { ok: false as const, status: 429, error: locked.message, retryAfterSec: locked.retryAfterSec };
    const gm = this.seats.gm;
    if (!gm || typeof gmKey !== "string" || !safeEqual(gm.key, gmKey)) {
      BattleRoom.credentials.battleFailed(this.roomId, ip, "GM key");
      return { ok: false as const, status: 403, error: "wrong GM key" };
    }
    return {
      ok: true as const,
      name: this.options.name, phase: this.battle.phase, round: this.battle.round, result: this.battle.result,
      log: this.fullLog, replay: this.replayRecord(),
    };
  }
}

const JOIN_FIELDS = ["gmKey", "seatKey", "shipId", "positions", "__restore"] as const;
/** The creator's options may carry join fields the SDK adds; room options never include them. */
function stripJoinFields(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const f of JOIN_FIELDS) delete copy[f];
  return copy;
}

function seatInfo(seat: Seat): SeatInfo {
  return { seatId: seat.seatId, role: seat.role, shipId: seat.shipId };
}

function cidOf(payload: unknown): string | undefined {
  if (payload && typeof payload === "object" && typeof (payload as { cid?: unknown }).cid === "string") {
    const cid = (payload as { cid: string }).cid;
    return cid.length <= LIMITS.commandId ? cid : undefined;
  }
  return undefined;
}

function zodMessage(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(message)"}: ${i.message}`).join("; ");
}
