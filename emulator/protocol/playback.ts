// Playing a recording in the window (issue 22): what a UI asks of the player (open a recording's text
// or a recent one by name, seek, take over) and what it hears back (the recording's length, markers
// and how far the seek index reaches). Imported by emulator/host, electron/ and renderer/: no Node, no DOM.
import { z } from 'zod';

/** Largest recording text a UI may hand in (a frame is 1 MiB); bigger ones are opened from the recent list. */
export const RECORDING_TEXT_MAX = 1_000_000;

export const playbackMarkerSchema = z.object({ atUs: z.number().int().nonnegative(), text: z.string() }).strict();
export type PlaybackMarker = z.infer<typeof playbackMarkerSchema>;

/** The recording being played; null when the lab is live. */
export const playbackStateSchema = z.object({
  /** The recording's file name. */
  name: z.string(),
  lab: z.string(),
  seed: z.number().int(),
  /** Where the Record button was pressed (0 for a whole run). */
  fromUs: z.number().int().nonnegative(),
  endUs: z.number().int().nonnegative(),
  /** The recording has no end line (its app stopped): it plays as far as it goes. */
  cutShort: z.boolean(),
  markers: z.array(playbackMarkerSchema),
  /** Up to here a seek restores a nearby keyframe; past it, it runs forward from the last one. */
  indexedUs: z.number().int().nonnegative(),
  /** Why the index stopped (a checkpoint whose trace differs on this build), if it did. */
  problem: z.string().optional(),
}).strict();
export type PlaybackState = z.infer<typeof playbackStateSchema>;

/** A recording in the host's recordings folder (the Record button writes there), newest first. */
export const recentRecordingSchema = z.object({
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  modifiedMs: z.number().nonnegative(),
}).strict();
export type RecentRecording = z.infer<typeof recentRecordingSchema>;

const recordingName = z.string().min(1).max(256);

export const playbackRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('open'), name: recordingName, text: z.string().max(RECORDING_TEXT_MAX) }).strict(),
  z.object({ action: z.literal('openRecent'), name: recordingName }).strict(),
  z.object({ action: z.literal('recent') }).strict(),
  z.object({ action: z.literal('seek'), atUs: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict(),
  /** Branch: the lab goes on live from where the playback stands. */
  z.object({ action: z.literal('takeOver') }).strict(),
  z.object({ action: z.literal('status') }).strict(),
]);
export type PlaybackRequest = z.infer<typeof playbackRequestSchema>;

export const playbackAnswerSchema = z.object({
  ok: z.boolean(),
  /** Why it was refused (a recording's problem names its line). */
  errors: z.array(z.string()).optional(),
  state: playbackStateSchema.nullable().optional(),
  recent: z.array(recentRecordingSchema).optional(),
  /** A seek: the wall time it took on the host. */
  wallMs: z.number().nonnegative().optional(),
}).strict();
export type PlaybackAnswer = z.infer<typeof playbackAnswerSchema>;

/** An instructor's marker typed in the toolbar while recording. */
export const markRequestSchema = z.object({ text: z.string().min(1).max(200) }).strict();
