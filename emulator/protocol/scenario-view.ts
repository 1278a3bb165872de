// What the window's scenario panel and undo button exchange with the host (issue 22), with a schema
// for each so that either end drops what does not fit. The grade's shape is the headless grader's
// (emulator/lab/scenario/grade.ts): the panel shows the very outcome `filerlab scenario run` prints.
import { z } from 'zod';

/** A scenario as the panel's picker lists it. */
export const scenarioEntrySchema = z.object({
  name: z.string(),
  title: z.string(),
  lab: z.string(),
  timeLimitUs: z.number().int().nonnegative(),
  /** Whether the scenario draws its fault from a seed (then the instructor may fix the seed or not). */
  drawsFault: z.boolean(),
  /** The fault seed the scenario file fixes, if it does: every attempt meets the same fault. */
  faultSeed: z.number().int().nullable(),
}).strict();
export type ScenarioEntry = z.infer<typeof scenarioEntrySchema>;

export const goalOutcomeSchema = z.object({
  id: z.string(),
  text: z.string(),
  when: z.enum(['eventually', 'always']),
  ordered: z.boolean(),
  met: z.boolean(),
  atMs: z.number().nullable(),
  late: z.boolean(),
  points: z.number(),
  brokenAtMs: z.number().nullable(),
  missed: z.object({ condition: z.string(), found: z.unknown() }).strict().nullable(),
}).strict();

export const gradeSchema = z.object({
  passed: z.boolean(),
  score: z.number(),
  maxScore: z.number(),
  passScore: z.number(),
  goals: z.array(goalOutcomeSchema),
  hintsUsed: z.array(z.object({ hint: z.number().int(), atMs: z.number(), cost: z.number(), text: z.string() }).strict()),
  endedAtMs: z.number(),
}).strict();
export type GradeView = z.infer<typeof gradeSchema>;

/** A graded attempt in the window: live while it runs (the grade so far), then its result. */
export const scenarioProgressSchema = z.object({
  scenario: z.string(),
  title: z.string(),
  /** Markdown, rendered by the panel as text (never as HTML). */
  instructions: z.string(),
  lab: z.string(),
  timeLimitUs: z.number().int().nonnegative(),
  /** Each hint's cost, and its text once the trainee asked for it. */
  hints: z.array(z.object({ cost: z.number(), text: z.string().nullable() }).strict()),
  /** Each goal's full points, in the grade's order (the grade holds what each earned). */
  goalPoints: z.array(z.number()),
  /** The grade so far (goals met, `always` goals holding so far), or the result once ended. */
  grade: gradeSchema,
  ended: z.boolean(),
  /** Named in the result only: the drawn fault is what the trainee has to find. */
  fault: z.string().nullable(),
  /** The fault seed: shown at once when fixed (by the instructor or the file), else in the result. */
  faultSeed: z.number().nullable(),
  /** Whether the fault seed was fixed rather than drawn anew for this attempt. */
  faultSeedFixed: z.boolean(),
  /** Where the attempt's recording is written (`filerlab replay` re-executes it). */
  recording: z.string(),
}).strict();
export type ScenarioProgress = z.infer<typeof scenarioProgressSchema>;

/** FAULT_SEED_MAX: the largest fault seed (a 32-bit number, as `--fault-seed` takes). */
export const FAULT_SEED_MAX = 0xffffffff;

/** An ended attempt's result as a file for a gradebook: `filerlab scenario run`'s --json document or --csv row. */
export const scenarioExportSchema = z.object({ fileName: z.string(), text: z.string() }).strict();
export type ScenarioExport = z.infer<typeof scenarioExportSchema>;

/** An undo: the action undone and what can still be undone, or why not. */
export const undoAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), undone: z.string(), left: z.array(z.string()) }).strict(),
  z.object({ ok: z.literal(false), error: z.string() }).strict(),
]);
export type UndoAnswer = z.infer<typeof undoAnswerSchema>;

/** The request channels of this file, merged into the channel map. */
export const scenarioRequestSchemas = {
  'scenario.list': { args: z.object({}).strict(), result: z.array(scenarioEntrySchema) },
  /** Opens the scenario's lab with its setup in place and starts grading; its attempt's state. */
  'scenario.start': {
    /** `faultSeed`: the instructor's fixed seed (every trainee meets the same fault); none draws a new one (or takes the file's). */
    args: z.object({ name: z.string().min(1).max(128), faultSeed: z.number().int().min(0).max(FAULT_SEED_MAX).optional() }).strict(),
    result: scenarioProgressSchema,
  },
  'scenario.status': { args: z.object({}).strict(), result: scenarioProgressSchema.nullable() },
  /** Reveals hint N (1-based) at its cost. */
  'scenario.hint': { args: z.object({ hint: z.number().int().min(1).max(100) }).strict(), result: scenarioProgressSchema },
  /** Ends the attempt now (before its time limit) and grades it. */
  'scenario.finish': { args: z.object({}).strict(), result: scenarioProgressSchema },
  /** The ended attempt's result as JSON or as a gradebook CSV (header and row). */
  'scenario.export': { args: z.object({ format: z.enum(['json', 'csv']) }).strict(), result: scenarioExportSchema },
  /** Undoes the last trainee action in the running lab. */
  'lab.undo': { args: z.object({}).strict(), result: undoAnswerSchema },
} as const;

export const scenarioEventSchema = z.object({ type: z.literal('scenario.progress'), progress: scenarioProgressSchema.nullable() }).strict();
