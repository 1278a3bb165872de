// The typed channel map between the lab host and any UI (Electron IPC or WebSocket alike), with a
// schema for every message so that each end can drop what does not fit (STYLE.md: VS Code's IPC).
// Imported by emulator/host, electron/ and renderer/: keep it free of Node and the DOM.
import { z } from 'zod';
import { scenarioEventSchema, scenarioRequestSchemas } from './scenario-view.ts';
import { markRequestSchema, playbackAnswerSchema, playbackRequestSchema, playbackStateSchema } from './playback.ts';

const portRef = z.object({ actor: z.string().min(1).max(64), port: z.string().min(1).max(32) }).strict();

export const actorInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('console'), data: z.string().max(65_536) }).strict(),
  z.object({ kind: z.literal('fault'), fault: z.string().min(1).max(64), args: z.array(z.string().max(256)).max(8) }).strict(),
  z.object({ kind: z.literal('clear'), fault: z.string().min(1).max(64), args: z.array(z.string().max(256)).max(8) }).strict(),
  z.object({ kind: z.literal('power'), on: z.boolean() }).strict(),
  z.object({ kind: z.literal('client'), action: z.enum(['start', 'stop']) }).strict(),
]);

export const labInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('actor'), actor: z.string().min(1).max(64), input: actorInputSchema }).strict(),
  z.object({ kind: z.literal('cable'), end: portRef, plugged: z.boolean() }).strict(),
  z.object({ kind: z.literal('mark'), text: z.string().max(1024) }).strict(),
]);

export const paceSchema = z.object({
  mode: z.enum(['paused', 'running', 'step']),
  /** Virtual seconds per wall second (0.1–100), or 'max' for as fast as the CPU allows. */
  speed: z.union([z.number().min(0.1).max(100), z.literal('max')]),
}).strict();
export type Pace = z.infer<typeof paceSchema>;

/** One EMS event as the timeline shows it. */
export const emsRecordSchema = z.object({
  atUs: z.number().int().nonnegative(),
  actor: z.string(),
  source: z.string(),
  severity: z.string(),
  text: z.string(),
}).strict();
export type EmsRecord = z.infer<typeof emsRecordSchema>;

export const topologyViewSchema = z.object({
  actors: z.array(z.object({ id: z.string(), kind: z.string(), config: z.unknown() }).strict()),
  cables: z.array(z.object({ id: z.string(), kind: z.string(), a: portRef, b: portRef }).strict()),
}).strict();
export type TopologyView = z.infer<typeof topologyViewSchema>;

/** Everything a UI needs to draw a lab from scratch; deltas then patch `state`. */
export const labViewSchema = z.object({
  lab: z.string(),
  seed: z.number().int(),
  atUs: z.number().int().nonnegative(),
  pace: paceSchema,
  topology: topologyViewSchema,
  /** Published actor view values by path (`filerA.state`, `filerA.ports.0a.link`, `shelf1.bays.3.state`). */
  state: z.record(z.string(), z.unknown()),
  /** Cable ends currently unplugged, as `actor:port`. */
  unplugged: z.array(z.string()),
  ems: z.array(emsRecordSchema),
}).strict();
export type LabView = z.infer<typeof labViewSchema>;

export const labDeltaSchema = z.object({
  atUs: z.number().int().nonnegative(),
  pace: paceSchema,
  patches: z.array(z.tuple([z.string(), z.unknown()])),
  unplugged: z.array(z.string()).optional(),
  ems: z.array(emsRecordSchema),
  /** Console bytes per filer since the last delta. */
  console: z.record(z.string(), z.string()),
}).strict();
export type LabDelta = z.infer<typeof labDeltaSchema>;

/** A console PTY's size in character cells; out of range is refused at the door. */
const ptyCells = z.number().int().min(2).max(1000);
const ptyId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Keystrokes or pasted text for a PTY, and the largest chunk of PTY output one event carries. */
export const PTY_DATA_MAX = 65_536;
const ptyAnswer = z.object({ ok: z.boolean() }).strict();

/** The Record button: where the recording stands; on stop, the recording itself (JSON lines). */
export const recordAnswerSchema = z.object({
  recording: z.boolean(),
  /** Virtual time the recording started at, while one runs. */
  sinceUs: z.number().int().nonnegative().optional(),
  /** On stop: `<lab>-<seed>.filerlab.jsonl` and its text. */
  fileName: z.string().optional(),
  text: z.string().optional(),
}).strict();
export type RecordAnswer = z.infer<typeof recordAnswerSchema>;

/** A lab's YAML source, for Save (`<name>.lab.yaml`). */
export const labSourceSchema = z.object({ name: z.string(), yaml: z.string() }).strict();
export type LabSource = z.infer<typeof labSourceSchema>;

/** Largest lab file a UI may hand in (Open from disk). */
export const LAB_TEXT_MAX = 1_048_576;
/** Open from disk: the new lab's view, or the file's errors (`name:line: …`) with the running lab untouched. */
export const openTextAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), view: labViewSchema }).strict(),
  z.object({ ok: z.literal(false), errors: z.array(z.string()) }).strict(),
]);
export type OpenTextAnswer = z.infer<typeof openTextAnswerSchema>;

/** A lab saved on the host (Save state), as Restore lists it: its file name, lab and virtual time. */
export const savedStateSchema = z.object({
  name: z.string(),
  lab: z.string(),
  atUs: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
}).strict();
export type SavedState = z.infer<typeof savedStateSchema>;

/** Requests from a UI to the host, each with its argument and result schema. */
export const requestSchemas = {
  'lab.hello': { args: z.object({}).strict(), result: labViewSchema },
  'lab.input': { args: z.object({ input: labInputSchema }).strict(), result: z.object({ ok: z.boolean(), error: z.string().optional() }).strict() },
  'lab.pace': { args: paceSchema, result: paceSchema },
  'lab.open': { args: z.object({ lab: z.string().min(1).max(256) }).strict(), result: labViewSchema },
  'lab.list': { args: z.object({}).strict(), result: z.array(z.string()) },
  'lab.record': { args: z.object({ action: z.enum(['start', 'stop', 'status']) }).strict(), result: recordAnswerSchema },
  'lab.source': { args: z.object({}).strict(), result: labSourceSchema },
  'lab.openText': { args: z.object({ name: z.string().min(1).max(256), yaml: z.string().max(LAB_TEXT_MAX) }).strict(), result: openTextAnswerSchema },
  /** Saves the running lab, as it stands, on the host (the toolbar's Save state). */
  'lab.saveState': { args: z.object({}).strict(), result: savedStateSchema },
  'lab.savedStates': { args: z.object({}).strict(), result: z.array(savedStateSchema) },
  /** Replaces the running lab by a saved one, which goes on exactly where it was saved. */
  'lab.restoreState': { args: z.object({ name: z.string().min(1).max(256) }).strict(), result: openTextAnswerSchema },
  /** Playing a recording in the window: open, seek, take over (playback.ts). */
  'lab.playback': { args: playbackRequestSchema, result: playbackAnswerSchema },
  /** A marker in the recording under way (the instructor's text from the toolbar). */
  'lab.mark': { args: markRequestSchema, result: z.object({ ok: z.boolean(), error: z.string().optional() }).strict() },
  'console.scrollback': { args: z.object({ filer: z.string().min(1).max(64) }).strict(), result: z.string() },
  /** A real PTY running `filerlab console <filer>` on the host; refused where the host has none. */
  'pty.open': { args: z.object({ filer: z.string().min(1).max(64), cols: ptyCells, rows: ptyCells }).strict(), result: z.object({ id: ptyId }).strict() },
  'pty.input': { args: z.object({ id: ptyId, data: z.string().max(PTY_DATA_MAX) }).strict(), result: ptyAnswer },
  'pty.resize': { args: z.object({ id: ptyId, cols: ptyCells, rows: ptyCells }).strict(), result: ptyAnswer },
  'pty.close': { args: z.object({ id: ptyId }).strict(), result: ptyAnswer },
  ...scenarioRequestSchemas,
} as const;

export type RequestChannel = keyof typeof requestSchemas;
export type RequestArgs<C extends RequestChannel> = z.infer<(typeof requestSchemas)[C]['args']>;
export type RequestResult<C extends RequestChannel> = z.infer<(typeof requestSchemas)[C]['result']>;

/** Events pushed from the host to every UI; `pty.*` go only to the UI connection that opened the PTY. */
export const hostEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lab.delta'), delta: labDeltaSchema }).strict(),
  z.object({ type: z.literal('lab.reset'), view: labViewSchema }).strict(),
  /** The recording being played changed (opened, indexed further, taken over): null when live. */
  z.object({ type: z.literal('playback.state'), state: playbackStateSchema.nullable() }).strict(),
  z.object({ type: z.literal('pty.data'), id: ptyId, data: z.string().max(PTY_DATA_MAX) }).strict(),
  /** The PTY's process ended (`filerlab console` detached, lost the lab, or was closed). */
  z.object({ type: z.literal('pty.exit'), id: ptyId, code: z.number().int() }).strict(),
  scenarioEventSchema,
]);
export type HostEvent = z.infer<typeof hostEventSchema>;

/** The one way a UI reaches the lab. Electron IPC and the WebSocket implement it alike. */
export interface Transport {
  request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>>;
  /** Subscribes to host events; returns a function that unsubscribes. */
  subscribe(listener: (event: HostEvent) => void): () => void;
}

/** Parses a request by channel name; returns the typed args or a reason to drop it. */
export function parseRequest(channel: unknown, args: unknown):
  | { ok: true; channel: RequestChannel; args: unknown }
  | { ok: false; reason: string } {
  // Own keys only: `constructor`, `__proto__`, `toString`… are members of every object, not channels.
  if (!isRequestChannel(channel)) {
    return { ok: false, reason: `unknown channel ${JSON.stringify(typeof channel === 'string' ? channel.slice(0, 64) : typeof channel)}` };
  }
  const parsed = requestSchemas[channel].args.safeParse(args);
  if (!parsed.success) {
    return { ok: false, reason: `${channel}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}` };
  }
  return { ok: true, channel, args: parsed.data };
}

/** Whether `channel` names a request of the channel map (an own key: never an Object.prototype member). */
export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && Object.hasOwn(requestSchemas, channel);
}
