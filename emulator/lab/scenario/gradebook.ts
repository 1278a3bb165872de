// A graded attempt as a gradebook's CSV row (RFC 4180: commas, quotes doubled, CRLF-free cells): one
// header per scenario, since each goal is a column holding the virtual second it was met, or `unmet`.
import type { Grade } from './grade.ts';

export interface AttemptIdentity {
  readonly scenario: string;
  readonly trainee: string;
  readonly lab: string;
  readonly seed: number;
  readonly fault: string | null;
  readonly faultSeed: number | null;
  readonly recording: string;
}

const FIXED_COLUMNS = ['scenario', 'trainee', 'lab', 'seed', 'fault', 'faultSeed', 'score', 'maxScore', 'passScore', 'passed', 'hintsUsed', 'endedAtS', 'recording'];

export function gradebookHeader(goalIds: readonly string[]): string {
  return csvLine([...FIXED_COLUMNS, ...goalIds.map((id) => `goal:${id}`)]);
}

export function gradebookRow(identity: AttemptIdentity, grade: Grade): string {
  return csvLine([
    identity.scenario, identity.trainee, identity.lab, String(identity.seed), identity.fault ?? '', identity.faultSeed === null ? '' : String(identity.faultSeed),
    String(grade.score), String(grade.maxScore), String(grade.passScore), grade.passed ? 'yes' : 'no',
    grade.hintsUsed.map((use) => use.hint).join(' '), seconds(grade.endedAtMs), identity.recording,
    ...grade.goals.map((goal) => (goal.atMs === null ? 'unmet' : `${seconds(goal.atMs)}${goal.late ? ' late' : ''}`)),
  ]);
}

/** The CSV text with this attempt appended: the header first when the file is new or was of another scenario. */
export function appendGradebook(existing: string | undefined, header: string, row: string): { ok: true; text: string } | { ok: false; error: string } {
  if (existing === undefined || existing.trim() === '') return { ok: true, text: `${header}\n${row}\n` };
  const firstLine = existing.split('\n', 1)[0]!.replace(/\r$/, '');
  if (firstLine !== header) return { ok: false, error: 'it holds a gradebook of other columns (another scenario?); give another file' };
  return { ok: true, text: `${existing.endsWith('\n') ? existing : `${existing}\n`}${row}\n` };
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

function csvCell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return /[",]/.test(flat) || flat !== flat.trim() ? `"${flat.replace(/"/g, '""')}"` : flat;
}

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}
