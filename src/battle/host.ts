// One battle, without sockets: the pipeline every client message goes through.
//
//   receive → admit (rate limit, role) → read (zod, actor) → validate + apply (engine)
//           → log durably (outbox) → publish (HostOutput.publish) → reply (ack)
//
// `refuse()` is the one place that builds and sends an error reply; `reply()` the one place any
// reply goes out. The room (rooms/BattleRoom.ts) only translates Colyseus hooks into these calls
// and implements HostOutput; unit tests drive the host with plain objects (test/battle/).
import { randomInt } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { createOptionsSchema, LIMITS, turnStamp, type AckReply, type CreateOptions, type ErrorCode, type ErrorReply } from "../commands";
import { applyWithHistory, createBattle, createHistory, replayLog, replayStep, type BattleHistory } from "../engine";
import type { Actor, Command } from "../engine/types";
import { createDice, type SeededDice } from "../rules/dice";
import type { Battle, LogEntry } from "../rules/model";
import { logger } from "../server/logger";
import { notify, type SeatInfo } from "../server/observers";
import type { HostedBattle } from "../server/persistence/keeper";
import { DurableOutbox } from "../server/persistence/outbox";
import { OwnershipLost, type BattleSnapshot, type LogRecord, type StoredBattle } from "../server/persistence/types";
import { decideJoin, parseJoinOptions, Refused, refusalVerdict, type AdmitVerdict, type JoinDecision } from "./admission";
import type { BattleContext } from "./context";
import { listingKey, lobbyListing, type BattleMetadata } from "./lobby";
import { Guard, rateClassOf, STRIKE_CODES } from "./guard";
import { CommandTape } from "./command-tape";
import { AbsentSeats, gmActRefusal } from "./gm-control";
import { cidOf, readMessage, zodMessage, type MessageTable } from "./messages";
import { ReplyMemory, type Remembered } from "./reply-memory";
import { safeEqual, Seats, type Seat } from "./seats";
import { TurnClock, type Timers } from "./turn-clock";

export type { BattleMetadata };

export interface ChatLineData { seq: number; from: string; fromName: string; text: string; at: number }

/** What an accepted change shows on the wire: the room copies it into the state and pushes the patch. */
export interface Change {
  battle: Battle;
  /** When the active ship's turn runs out (ms since the epoch), 0 outside combat. */
  turnEndsAt: number;
  events: LogEntry[];
  chat: ChatLineData[];
  /** Seats released by the GM: their crew entries go. */
  unseated: string[];
}

/** One connection, as the host knows it. */
export interface Sender { sessionId: string; ip?: string }

/** What the host needs of its surroundings (the room; plain objects in tests). */
export interface HostOutput extends Timers {
  /** Sends one message to one connection (nothing if it is gone). */
  send(sessionId: string, type: "ack" | "error" | "spectators", body: AckReply | ErrorReply | SpectatorList): void;
  /** Ends the reconnection grace of a dropped connection now: nobody will come back to it. */
  endGrace(sessionId: string): void;
  /** Shows an accepted change: state copied, views refreshed, patch pushed at once. */
  publish(change: Change): void;
  /** Closes a connection kicked by intrusion detection. */
  kick(sessionId: string): void;
  metadata(meta: BattleMetadata): void;
  /** Closes every connection: "ended" (the battle is over), "moving" (another process takes it: may reconnect). */
  disconnect(how: "ended" | "moving"): Promise<void>;
}

/** The GM's list of who is watching (the `spectators` message). */
export interface SpectatorList { spectators: { id: string; name: string }[] }

/** Seat keys and IP addresses blocked by intrusion detection (src/server/blocklist.ts). */
export interface Blocks {
  block(kind: "key" | "ip", value: string, seconds: number): Promise<void>;
  isBlocked(kind: "key" | "ip", value: string | undefined): Promise<boolean>;
}

/** What a join is admitted as: a seat (the creator's GM seat, a new or a resumed one), or a spectator. */
export type Admission = { ip?: string } & ({ kind: "seat"; seat: Seat } | { kind: "spectator"; name: string });

interface Refusal { code: ErrorCode; message: string; cid?: string; seat?: Seat }
interface Origin { from: Sender; seat: Seat; type: string; cid: string }

const MOVING = "the battle is moving to another server: re-send once reconnected";

export class BattleHost implements HostedBattle {
  battle!: Battle;
  readonly seats = new Seats();
  /** Every accepted command, in order, packed: with the seed, it replays the battle exactly. */
  readonly commandLog = new CommandTape();
  /** The full log as last rebuilt for an export (`fullLog`), dropped by the next command. */
  private exported?: LogEntry[];
  /** Read-only watchers, by session id. */
  readonly spectators = new Map<string, { id: string; name: string }>();
  /** Sessions closed by intrusion detection: they get no reconnection grace. */
  readonly kicked = new Set<string>();
  /** Dropped sessions within their reconnection grace: their seat's player is absent. */
  private readonly away = new Set<string>();
  /** The undo's history: indices into the command log, rebuilt from setup and seed (src/engine/history.ts). */
  private history!: BattleHistory;
  /** Absent players' seats waiting to free themselves (SEAT_RELEASE_SEC). */
  private absent!: AbsentSeats;
  private options!: CreateOptions;
  private seed = 0;
  private dice!: SeededDice;
  private readonly replies = new ReplyMemory();
  private readonly outbox: DurableOutbox;
  private readonly guard: Guard;
  private clock!: TurnClock;
  private chatSeq = 0;
  private spectatorSeq = 0;
  private lastMeta = "";
  private lastListingKey = "";
  /** Set when the battle is leaving this process: no more commands or joins here. */
  private frozen = false;
  private departure: "ended" | "handOver" | "lost" = "ended";
  private leaving?: Promise<void>;
  private log = logger.child({ room: "battle" });

  constructor(private readonly ctx: BattleContext, private readonly out: HostOutput, private readonly blocks: Blocks, private readonly id: () => string) {
    this.guard = new Guard(ctx.settings, () => out.now());
    this.outbox = new DurableOutbox(ctx.keeper?.store, id, (err) => this.durabilityLost(err), (what, err) => this.log.warn(what, { error: err.message }));
  }

  get roomId(): string {
    return this.id();
  }

  // ---- creation and restore ----------------------------------------------------------------

  /** A new battle from the creator's options; throws Refused (400, 503) to refuse it. */
  async create(rawOptions: unknown): Promise<void> {
    if (this.ctx.keeper?.draining) throw new Refused(503, "this server is draining: create the battle again");
    const parsed = createOptionsSchema.safeParse(stripJoinFields(rawOptions));
    if (!parsed.success) throw new Refused(400, `invalid battle options: ${zodMessage(parsed.error)}`);
    this.options = parsed.data;
    try {
      this.battle = createBattle(this.setup());
    } catch (err) {
      throw new Refused(400, `invalid battle options: ${(err as Error).message}`);
    }
    this.seed = randomInt(0, 2 ** 32);
    this.dice = createDice(this.seed);
    this.history = createHistory(this.setup(), this.seed, this.commandLog);
    await this.ctx.keeper?.store.create(this.roomId, { options: this.options, seed: this.seed, createdAt: this.out.now() });
    this.start({});
    this.log.info("battle created", { name: this.options.name, ruleset: this.options.ruleset, ships: this.options.ships.length });
    notify("battleCreated", { roomId: this.roomId, name: this.options.name, ruleset: this.options.ruleset });
  }

  /** Rebuilds a battle from its durable log through the same bookkeeping as live play (record()). */
  restore(stored: StoredBattle): void {
    this.options = stored.meta.options;
    this.seed = stored.meta.seed;
    this.battle = createBattle(this.setup());
    this.dice = createDice(this.seed);
    this.history = createHistory(this.setup(), this.seed, this.commandLog);
    const change: Pick<Change, "events" | "chat" | "unseated"> = { events: [], chat: [], unseated: [] };
    for (const rec of stored.records) {
      const seq = ++this.outbox.seq;
      if (rec.k === "seat") this.seats.restore(rec.seat);
      else {
        // The rules are deterministic: the same commands on the same dice give the same battle.
        const events = rec.k === "cmd" ? replayStep(this.battle, this.dice, rec, seq, this.history) : [];
        const shown = this.record(rec, events).change;
        change.events.push(...(shown.events ?? []));
        change.chat.push(...(shown.chat ?? []));
        change.unseated.push(...(shown.unseated ?? []));
      }
      if (stored.snapshot && stored.snapshot.seq === seq) this.checkSnapshot(stored.snapshot);
    }
    this.start(change);
    // Nobody is connected yet: each player has the reconnection grace, then SEAT_RELEASE_SEC, to come back.
    for (const seat of this.seats.players) this.absent.gone(seat.seatId, this.ctx.settings.RECONNECT_GRACE_SEC * 1000);
    this.log.info("battle restored", { records: stored.records.length, commands: this.commandLog.length, round: this.battle.round, version: this.battle.version });
  }

  /** What a new and a restored battle share: the clock, the first publish, the keeper's list. */
  private start(change: Partial<Change>) {
    this.log = logger.child({ room: this.roomId });
    this.absent = new AbsentSeats(this.ctx.settings.SEAT_RELEASE_SEC * 1000, (fn, ms) => this.out.setTimeout(fn, ms), (id) => this.freeSeat(id));
    this.clock = new TurnClock(this.out, this.options.turnTimeoutSec * 1000, this.ctx.settings.IDLE_TIMEOUT_SEC * 1000,
      (round, turnIndex) => this.execute({ kind: "system" }, { type: "timeout", round, turnIndex }), () => this.idle());
    this.ctx.keeper?.hosted.set(this.roomId, this);
    this.publish(change);
    this.clock.touch();
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

  get name(): string { return this.options.name; }
  get turnTimeoutSec(): number { return this.options.turnTimeoutSec; }

  // ---- joins ---------------------------------------------------------------------------------

  /**
   * The matchmaking step asks here, before any seat is reserved (src/server/matchmaking-guard.ts):
   * would this join be admitted? Nothing is created; failed secrets are counted.
   */
  async admit(rawOptions: unknown, ip: string | undefined): Promise<AdmitVerdict> {
    try {
      if (this.frozen) return { ok: false, status: 503, error: "the battle is moving to another server: join again in a moment", retryAfterSec: 1 };
      // Until its creator is in, a battle is locked: the creator joins through `create`, never by id.
      if ((await this.decide(rawOptions, ip)) === "creator") return { ok: false, status: 409, error: "the battle is not open yet" };
      return { ok: true };
    } catch (err) {
      return refusalVerdict(err);
    }
  }

  /** The WebSocket's join: the same rules, and the seat created (durably) now. Throws Refused. */
  async authorise(rawOptions: unknown, ip: string | undefined): Promise<Admission> {
    if (this.frozen) throw new Refused(503, "the battle is moving to another server: join again in a moment");
    const decision = await this.decide(rawOptions, ip);
    // The creator's first join carries the create options; it becomes the GM.
    if (decision === "creator") return { kind: "seat", seat: await this.durableSeat(this.seats.add("gm", this.options.gmName, "", [])), ip };
    if (decision.kind === "spectator") return { kind: "spectator", name: decision.name, ip };
    if (decision.kind === "newPlayer") return { kind: "seat", seat: await this.durableSeat(this.seats.add("player", decision.name, decision.shipId, decision.positions)), ip };
    return { kind: "seat", seat: decision.seat, ip };
  }

  /** Blocks first (intrusion detection), then the join rules (src/battle/admission.ts). */
  private async decide(rawOptions: unknown, ip: string | undefined): Promise<JoinDecision | "creator"> {
    if (this.ctx.settings.IDS_BLOCK_IP && await this.blocks.isBlocked("ip", ip)) return this.refuseBlocked(ip, "IP address");
    if (!this.seats.gm) return "creator";
    const opts = parseJoinOptions(rawOptions);
    const key = opts.gmKey ?? opts.seatKey;
    if (key && await this.blocks.isBlocked("key", key)) return this.refuseBlocked(ip, "seat key");
    return decideJoin({
      roomId: this.roomId, seats: this.seats, password: this.options.password, battle: this.battle, credentials: this.ctx.credentials,
      maxPlayers: this.options.maxPlayers, allowSpectators: this.options.allowSpectators,
      maxSpectators: LIMITS.maxSpectators, spectators: this.spectators.size,
    }, opts, ip);
  }

  private refuseBlocked(ip: string | undefined, what: string): never {
    notify("securityEvent", { kind: "blockedJoin", roomId: this.roomId, ip, reason: `blocked ${what}` });
    this.log.warn("join refused: blocked", { ip, what });
    throw new Refused(403, "blocked for repeated invalid or refused messages; try again later");
  }

  /** A new seat is logged before its key goes out, so it survives a move to another process. */
  private async durableSeat(seat: Seat): Promise<Seat> {
    if (!this.ctx.keeper) return seat;
    try {
      const { seatId, key, role, name, shipId, positions } = seat;
      await new Promise<void>((resolve, reject) => this.outbox.commit({ k: "seat", seat: { seatId, key, role, name, shipId, positions } }, resolve, undefined, reject));
    } catch (err) {
      this.seats.remove(seat.seatId);
      throw new Refused(503, `the seat could not be recorded: ${(err as Error).message}`);
    }
    return seat;
  }

  /** The admitted connection is in: a seat bound to it, or a spectator registered. */
  joined(sessionId: string, auth: Admission): { seatId: string; role: "gm" | "player" | "spectator"; key: string; shipId: string; positions: string[] } {
    if (auth.kind === "spectator") {
      const id = `v${++this.spectatorSeq}`;
      this.spectators.set(sessionId, { id, name: auth.name });
      this.log.info("spectator joined", { seat: id });
      notify("joined", { roomId: this.roomId, seat: { seatId: id, role: "spectator", shipId: "" }, sessionId, ip: auth.ip });
      this.sendSpectators();
      return { seatId: id, role: "spectator", key: "", shipId: "", positions: [] };
    }
    const seat = auth.seat;
    this.seats.bind(seat, sessionId);
    this.absent.back(seat.seatId);
    if (seat.role === "gm") this.sendSpectators();
    this.updateMetadata();
    this.log.info("joined", { seat: seat.seatId, role: seat.role, ship: seat.shipId });
    notify("joined", { roomId: this.roomId, seat: seatInfo(seat), sessionId, ip: auth.ip });
    return { seatId: seat.seatId, role: seat.role, key: seat.key, shipId: seat.shipId, positions: seat.positions };
  }

  /**
   * A connection dropped (`violation`: why it was closed for breaking the protocol, if it was).
   * Whether its seat is held for it to reconnect: not for a kicked or misbehaving connection, a
   * spectator, or one that never finished its join handshake.
   */
  dropped(sessionId: string, ip: string | undefined, violation: string | undefined, missedJoin: boolean): boolean {
    const info = this.infoOf(sessionId);
    notify("dropped", { roomId: this.roomId, seat: info, sessionId, ip });
    const kicked = this.kicked.has(sessionId);
    if (violation && !kicked) {
      notify("securityEvent", { kind: "protocolKick", roomId: this.roomId, seat: info, ip, reason: violation });
      this.log.warn("connection closed for a protocol violation", { seat: info?.seatId, ip, reason: violation });
    }
    const held = !kicked && !violation && !missedJoin && info?.role !== "spectator";
    if (held) this.away.add(sessionId);
    return held;
  }

  /** A dropped connection is back within its grace. */
  reconnected(sessionId: string): SeatInfo | undefined {
    this.away.delete(sessionId);
    return this.infoOf(sessionId);
  }

  /** The connection left for good: its seat stays (reclaimable with its key), a spectator goes. */
  left(sessionId: string): Seat | undefined {
    this.kicked.delete(sessionId);
    this.away.delete(sessionId);
    const spectator = this.spectators.get(sessionId);
    if (spectator) {
      this.spectators.delete(sessionId);
      this.guard.forget(sessionId);
      this.sendSpectators();
      notify("left", { roomId: this.roomId, seat: { seatId: spectator.id, role: "spectator", shipId: "" }, sessionId });
      return undefined;
    }
    const seat = this.seats.unbind(sessionId);
    // A player gone for good (the grace over, or none): the seat frees itself after SEAT_RELEASE_SEC.
    if (seat && seat.role === "player" && !seat.sessionId && this.seats.all().includes(seat)) this.absent.gone(seat.seatId);
    this.updateMetadata();
    notify("left", { roomId: this.roomId, seat: seat && seatInfo(seat), sessionId });
    return seat;
  }

  infoOf(sessionId: string): SeatInfo | undefined {
    const seat = this.seats.ofSession(sessionId);
    if (seat) return seatInfo(seat);
    const spectator = this.spectators.get(sessionId);
    return spectator && { seatId: spectator.id, role: "spectator", shipId: "" };
  }

  // ---- the pipeline ----------------------------------------------------------------------------

  /** Every client message enters here, whatever its type (the type and payload are hostile). */
  receive(from: Sender, type: string, payload: unknown): void {
    const cls = rateClassOf(type);
    const allowed = this.guard.allow(this.subjectOf(from.sessionId), cls);
    if (!allowed.ok) {
      notify("securityEvent", { kind: "rateLimited", roomId: this.roomId, seat: this.infoOf(from.sessionId), ip: from.ip, type, reason: `${cls} rate limit` });
      return this.refuse(from, type, { code: "rateLimited", message: `too many ${cls} messages; retry in ${allowed.retryMs} ms`, cid: cidOf(payload) });
    }
    if (this.spectators.has(from.sessionId)) return this.refuse(from, type, { code: "readOnly", message: "spectators are read-only", cid: cidOf(payload) });
    const seat = this.seats.ofSession(from.sessionId);
    if (!seat) return this.refuse(from, type, { code: "notSeated", message: "this connection holds no seat", cid: cidOf(payload) });
    const msg = readMessage(seat, type, payload, this.table);
    if (msg.kind === "refused") return this.refuse(from, type, msg);
    // A command id this seat sent before (any type): its original reply again, nothing applied.
    const earlier = this.replies.get(seat.seatId, msg.cid);
    if (earlier) return this.outbox.later(() => this.reply(from, earlier));
    if (this.frozen) return this.refuse(from, type, { code: "unavailable", message: MOVING, cid: msg.cid });
    const origin: Origin = { from, seat, type, cid: msg.cid };
    switch (msg.kind) {
      case "command":
        if (msg.v !== undefined && msg.v !== turnStamp(this.battle)) {
          return this.refuse(from, type, { code: "stale", message: `made for turn ${msg.v}, the battle is at turn ${turnStamp(this.battle)}`, cid: msg.cid, seat });
        }
        // The GM acts for an NPC ship, or for a player ship whose crew is absent (docs/rules.md).
        if (type === "gm:act" && "shipId" in msg.cmd) {
          const refusal = gmActRefusal(msg.cmd, this.battle.ships[msg.cmd.shipId]?.side === "players", this.crewConnected(msg.cmd.shipId));
          if (refusal) return this.refuse(from, type, { code: "seatInUse", message: refusal, cid: msg.cid, seat });
        }
        return this.execute(msg.actor, msg.cmd, origin);
      case "chat":
        return this.commit({ k: "chat", from: seat.seatId, fromName: seat.name, text: msg.text, at: this.out.now(), cid: msg.cid }, [], origin);
      case "releaseSeat": {
        // The GM frees an absent player's seat so that somebody else can take it.
        const target = this.seats.all().find((s) => s.seatId === msg.seatId && s.role === "player");
        if (!target) return this.refuse(from, type, { code: "unknownSeat", message: `no player seat '${msg.seatId}'`, cid: msg.cid, seat });
        // A player whose page closed is within the reconnection grace: absent too, so releasable.
        if (this.connected(target)) return this.refuse(from, type, { code: "seatInUse", message: "the player is connected; only an absent player's seat can be released", cid: msg.cid, seat });
        return this.freeSeat(target.seatId, origin);
      }
    }
  }

  /** What reading a message needs of the seats: a captain aboard is one connected now. */
  private readonly table: MessageTable = {
    captainAboard: (seat) => this.seats.players.some((p) => p !== seat && p.shipId === seat.shipId && this.connected(p) && p.positions.includes("captain")),
  };

  /** Connected now: not dropped, not within the reconnection grace. */
  private connected(seat: Seat): boolean {
    return seat.sessionId !== null && !this.away.has(seat.sessionId);
  }

  /** Whether a crew member of this ship is connected now. */
  private crewConnected(shipId: string): boolean {
    return this.seats.players.some((p) => p.shipId === shipId && this.connected(p));
  }

  /**
   * Frees a player seat: by the GM (gm:releaseSeat, `origin`), or by itself once its player is
   * gone past SEAT_RELEASE_SEC. A connection held for it loses its grace now.
   */
  private freeSeat(seatId: string, origin?: Origin): void {
    const seat = this.seats.players.find((s) => s.seatId === seatId);
    if (!seat || this.frozen) return;
    this.absent.back(seat.seatId);
    if (seat.sessionId) this.out.endGrace(seat.sessionId);
    this.commit({ k: "unseat", seatId: seat.seatId, ...(origin ? { by: origin.seat.seatId, cid: origin.cid } : {}) }, [], origin);
  }

  /** The GM sees who is watching: names and ids of the spectators, sent on every change. */
  private sendSpectators(): void {
    const gm = this.seats.gm;
    if (gm?.sessionId) this.out.send(gm.sessionId, "spectators", { spectators: [...this.spectators.values()].map((v) => ({ id: v.id, name: v.name })) });
  }

  /** Applies a command to the engine (validation included); a refusal changes nothing. */
  private execute(actor: Actor, cmd: Command, origin?: Origin): void {
    if (this.frozen) return;
    const started = performance.now();
    const before = `${this.battle.round}:${this.battle.phase}`;
    // The in-memory engine is authoritative and applies commands strictly in arrival order;
    // what a command changed is published only once its log record is durable.
    const result = applyWithHistory(this.battle, this.history, actor, cmd, this.dice);
    if (!result.ok) {
      if (origin) this.refuse(origin.from, origin.type, { code: result.code, message: result.message, cid: origin.cid, seat: origin.seat });
      return;
    }
    const checkpoint = `${this.battle.round}:${this.battle.phase}` !== before;
    const rec: LogRecord = { k: "cmd", actor, cmd, ...(origin ? { seat: origin.seat.seatId, type: origin.type, cid: origin.cid } : {}) };
    this.commit(rec, result.events, origin, started, checkpoint);
  }

  /**
   * What an accepted record changes in the host's books, live and on restore alike: the command
   * and chat logs, released seats, and the ack remembered for the sender's command id.
   */
  private record(rec: Exclude<LogRecord, { k: "seat" }>, events: LogEntry[]): { ack?: AckReply; change: Partial<Change> } {
    let change: Partial<Change>;
    let by: string | undefined;
    let type: string;
    if (rec.k === "cmd") {
      this.commandLog.push({ actor: rec.actor, cmd: rec.cmd });
      this.exported = undefined;
      change = { events };
      [by, type] = [rec.seat, rec.type ?? rec.cmd.type];
    } else if (rec.k === "chat") {
      change = { chat: [{ seq: ++this.chatSeq, from: rec.from, fromName: rec.fromName, text: rec.text, at: rec.at }] };
      [by, type] = [rec.from, "chat"];
    } else {
      this.seats.remove(rec.seatId);
      this.replies.forget(rec.seatId);
      change = { unseated: [rec.seatId] };
      [by, type] = [rec.by, "gm:releaseSeat"];
    }
    if (!by || !rec.cid) return { change };
    const ack: AckReply = { cid: rec.cid, type, version: this.battle.version, events: events.length };
    this.replies.remember(by, rec.cid, { kind: "ack", reply: ack });
    return { ack, change };
  }

  /** An accepted change: booked at once, logged durably, and only then published and acknowledged. */
  private commit(rec: Exclude<LogRecord, { k: "seat" }>, events: LogEntry[], origin: Origin | undefined, started = performance.now(), checkpoint = false): void {
    const { ack, change } = this.record(rec, events);
    this.outbox.commit(rec, () => {
      if (rec.k === "unseat") this.clock.seatFreed(this.battle, this.seats.crewedShips());
      this.publish(change);
      if (rec.k === "cmd") {
        this.clock.touch();
        notify("commandAccepted", {
          roomId: this.roomId, seat: origin && seatInfo(origin.seat), ip: origin?.from.ip, type: origin?.type ?? rec.cmd.type, cid: origin?.cid,
          actor: rec.actor, cmd: rec.cmd, events, battle: this.battle, durationMs: performance.now() - started,
        });
        notify("patchSent", { roomId: this.roomId, latencyMs: performance.now() - started });
      } else if (origin) {
        notify("messageAccepted", { roomId: this.roomId, seat: seatInfo(origin.seat), ip: origin.from.ip, type: origin.type, cid: origin.cid });
      }
      if (origin && ack) this.reply(origin.from, { kind: "ack", reply: ack });
      if (rec.k === "unseat") this.log.info(rec.by ? "seat released by the GM" : "seat of an absent player released", { seat: rec.seatId });
      if (rec.k === "cmd" && this.battle.phase === "ended") this.ended();
    }, checkpoint ? (seq) => this.checkpoint(seq) : undefined);
  }

  /** Sends out what changed: the room copies it into the wire state and pushes the patch. */
  private publish(change: Partial<Change>) {
    this.clock.afterChange(this.battle, this.seats.crewedShips());
    this.out.publish({ battle: this.battle, turnEndsAt: this.clock.turnEndsAt, events: [], chat: [], unseated: [], ...change });
    this.updateMetadata();
  }

  /** The one place that refuses: builds the typed error, sends it, counts strikes, kicks. */
  private refuse(from: Sender, type: string, r: Refusal): void {
    const reply: ErrorReply = { type, code: r.code, message: r.message, ...(r.cid ? { cid: r.cid } : {}) };
    // Refusals that depend on the moment (turn, phase) are not replayed: a re-send is judged anew.
    if (r.seat && r.cid && r.code !== "stale" && r.code !== "unavailable") this.replies.remember(r.seat.seatId, r.cid, { kind: "error", reply });
    this.outbox.later(() => this.reply(from, { kind: "error", reply }));
    const info = this.infoOf(from.sessionId);
    notify("commandRejected", { roomId: this.roomId, seat: info, ip: from.ip, type, cid: r.cid, code: r.code, message: r.message });
    if (STRIKE_CODES.has(r.code) && !this.kicked.has(from.sessionId)) {
      notify("securityEvent", { kind: "strike", roomId: this.roomId, seat: info, ip: from.ip, type, reason: r.code });
      if (this.guard.strike(this.subjectOf(from.sessionId))) this.kick(from, r.code);
    }
  }

  /** The one place a reply to a message goes out (acks, errors, and remembered replies re-sent). */
  private reply(to: Sender, r: Remembered): void {
    this.out.send(to.sessionId, r.kind, r.reply);
  }

  /**
   * Intrusion detection: too many refusals in the window. The connection is closed, and its seat
   * key (and IP address, if IDS_BLOCK_IP) refused for IDS_BLOCK_SEC.
   */
  private kick(from: Sender, lastCode: ErrorCode) {
    const s = this.ctx.settings;
    this.kicked.add(from.sessionId);
    const seat = this.seats.ofSession(from.sessionId);
    const blocks: Promise<void>[] = [];
    if (seat) blocks.push(this.blocks.block("key", seat.key, s.IDS_BLOCK_SEC));
    if (from.ip && s.IDS_BLOCK_IP) blocks.push(this.blocks.block("ip", from.ip, s.IDS_BLOCK_SEC));
    Promise.all(blocks).catch((err) => this.log.error("could not record a block", { error: err }));
    const reason = `${s.IDS_MAX_STRIKES} refused messages within ${s.IDS_WINDOW_SEC} s (last: ${lastCode})`;
    notify("securityEvent", { kind: "kicked", roomId: this.roomId, seat: this.infoOf(from.sessionId), ip: from.ip, reason });
    this.log.warn("client kicked and blocked", { seat: seat?.seatId, ip: from.ip, blockSec: s.IDS_BLOCK_SEC, reason });
    this.out.kick(from.sessionId);
  }

  /** Whose rate limits and strikes a message counts against: its seat, else its connection. */
  private subjectOf(sessionId: string): string {
    return this.seats.ofSession(sessionId)?.seatId ?? this.spectators.get(sessionId)?.id ?? sessionId;
  }

  // ---- time, end and departure -----------------------------------------------------------------

  private idle() {
    if (this.battle.phase !== "ended") this.execute({ kind: "system" }, { type: "idleEnd" });
    this.log.info("idle battle closed");
    // The clients see the battle end (once durable) before the room closes.
    void this.outbox.settled().then(() => this.out.disconnect("ended"));
  }

  private ended() {
    this.clock.stopTurn();
    this.log.info("battle ended", { result: this.battle.result, rounds: this.battle.round, commands: this.commandLog.length });
  }

  /** The battle as it stands now (after record `seq`): taken synchronously, written later. */
  private checkpoint(seq: number): BattleSnapshot {
    return { seq, version: this.battle.version, round: this.battle.round, at: this.out.now(), battle: structuredClone(this.battle), dice: this.dice.getState() };
  }

  /** An append failed: this copy can no longer promise durability, so it steps aside. */
  private durabilityLost(err: Error) {
    if (this.frozen && this.leaving) return;
    if (err instanceof OwnershipLost) this.log.warn("battle taken over by another process", { error: err.message });
    else this.log.error("durable log append failed", { error: err.message });
    void this.standDown("lost");
  }

  /**
   * The battle leaves this process. "drain": everything applied is made durable, then the clients
   * are told they may reconnect, and the battle is released for another process to restore.
   * "lost": another process owns it now; what was not durable is dropped (it was never acknowledged).
   */
  standDown(reason: "drain" | "lost"): Promise<void> {
    this.leaving ??= (async () => {
      this.frozen = true;
      this.clock?.stop();
      this.departure = reason === "drain" ? "handOver" : "lost";
      if (reason === "drain") await this.outbox.settled();
      else this.outbox.drop();
      this.log.info("battle leaving this process", { reason });
      await this.out.disconnect("moving");
    })();
    return this.leaving;
  }

  /** The room is gone: the keeper forgets it (and removes an ended battle's data). */
  async dispose(): Promise<void> {
    this.log.info("battle disposed", { phase: this.battle?.phase, round: this.battle?.round, commands: this.commandLog.length, departure: this.departure });
    this.frozen = true;
    this.clock?.stop();
    if (!this.battle) return;
    notify("battleDisposed", { roomId: this.roomId, battle: this.battle });
    await this.ctx.keeper?.left(this.roomId, this.departure);
  }

  private updateMetadata() {
    const listed = listingKey(this.battle, this.seats);
    if (listed === this.lastListingKey) return;
    this.lastListingKey = listed;
    const meta = lobbyListing(this.battle, this.options, this.seats);
    const key = JSON.stringify(meta);
    if (key === this.lastMeta) return;
    this.lastMeta = key;
    this.out.metadata(meta);
  }

  // ---- export ------------------------------------------------------------------------------------

  /**
   * The full combat log (the wire state keeps only the last rounds), rebuilt from the command log
   * by replay: the same commands on the same dice make the same entries. It is not kept: as live
   * objects it cost ≈ 2.3 KB per command for the battle's whole life, which at 500 battles grew
   * the heap by 43 MB a minute and stretched full collections to seconds (docs/performance.md).
   * A replay costs ≈ 35–45 µs per command (50–65 ms for a battle of 1,400 commands), paid when the
   * GM exports; the result is kept until the next command, so repeated exports replay once.
   */
  get fullLog(): LogEntry[] {
    return (this.exported ??= replayLog(this.setup(), this.seed, this.commandLog));
  }

  /** The seed and accepted commands: everything needed to replay this battle. */
  replayRecord() {
    return { seed: this.seed, setup: this.setup(), commands: this.commandLog.toArray() };
  }

  /** The full combat log and replay record, for the GM only (GET /api/battles/:id/log); `ip` is the request's peer address. */
  exportLog(gmKey: unknown, ip?: string) {
    const locked = this.ctx.credentials.battleLocked(this.roomId, ip, "GM key");
    if (locked) return { ok: false as const, status: 429, error: locked.message, retryAfterSec: locked.retryAfterSec };
    const gm = this.seats.gm;
    if (!gm || typeof gmKey !== "string" || !safeEqual(gm.key, gmKey)) {
      this.ctx.credentials.battleFailed(this.roomId, ip, "GM key");
      return { ok: false as const, status: 403, error: "wrong GM key" };
    }
    return {
      ok: true as const, name: this.options.name, phase: this.battle.phase, round: this.battle.round, result: this.battle.result,
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
