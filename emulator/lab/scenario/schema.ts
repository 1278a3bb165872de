// The `*.scenario.yaml` format (issue 22): a graded exercise on a lab. A lab by name, what the trainee
// reads (title, Markdown instructions, hints), the faults already in place (setup, in the lab-script
// language; optionally one drawn from several by a fault seed), and the goals the run is graded on:
// outcomes on the run summary, in the words of a script's `expect` line, never the trainee's commands.
import { z } from 'zod';
import { isReservedName } from '../schema.ts';
import { EXPECT_OPERATORS } from '../expect.ts';
import { parseDuration } from '../script.ts';

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a name: a letter, then letters, digits, _ or -')
  .refine((text) => !isReservedName(text), { error: (issue) => `'${String(issue.input)}' is reserved (every JavaScript object has it); choose another name` });
const duration = z.string().refine((text) => parseDuration(text) !== undefined, 'a duration like 90s, 5m or 1m30s');
const points = z.number().int().min(0).max(1000);
/** One condition as an `expect` line writes it after `expect`: `<path> <op> <JSON value>`. */
const condition = z.string().min(3).max(500)
  .refine((text) => EXPECT_OPERATORS.some((op) => text.includes(` ${op} `)), `a condition like 'clients.c1.lostWrites == 0' (operators ${EXPECT_OPERATORS.join(' ')})`);

export const goalSchema = z.object({
  id: name,
  /** The sentence the trainee reads (and the gradebook shows). */
  text: z.string().min(1).max(500),
  /** All must hold at once. */
  check: z.union([condition, z.array(condition).min(1).max(20)]),
  /** eventually: met the first time it holds; always: must hold at every sample from `from` to the end. */
  when: z.enum(['eventually', 'always']).default('eventually'),
  /** For `always`: the virtual time the condition starts to be watched (a warm-up). */
  from: duration.optional(),
  /** Full points only when met by this virtual time; later earns latePoints (partial credit). */
  by: duration.optional(),
  /** Ordered goals count only when met after every ordered goal listed before them. */
  ordered: z.boolean().default(false),
  points: points.default(10),
  latePoints: points.default(0),
}).strict();

export const hintSchema = z.object({ text: z.string().min(1).max(2000), cost: points.default(0) }).strict();

export const faultChoiceSchema = z.object({ name, setup: z.string().max(100_000) }).strict();

export const scenarioFileSchema = z.object({
  title: z.string().min(1).max(200),
  lab: name,
  /** The lab's seed (its clients' workload); the lab file's own, else 1, when absent. */
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  instructions: z.string().min(1).max(100_000),
  /** Lab-script lines (`at 0s pull filerA:0a`): the state the trainee finds. No `expect` lines. */
  setup: z.string().max(100_000).default(''),
  /** One of these setups is drawn, by `seed` (every trainee meets the same) or anew each attempt. */
  faults: z.object({
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    choices: z.array(faultChoiceSchema).min(1).max(50),
  }).strict().optional(),
  goals: z.array(goalSchema).min(1).max(50),
  hints: z.array(hintSchema).max(20).default([]),
  /** Virtual time the attempt lasts; goals unmet by then are unmet. */
  timeLimit: duration.default('5m'),
  scoring: z.object({
    /** Points needed to pass; all the goals' points when absent. */
    pass: points.optional(),
  }).strict().default({}),
}).strict();

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type GoalFile = z.infer<typeof goalSchema>;
