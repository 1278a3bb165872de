// Work is not thrown away without a word (issue 19): Open file, the lab picker and Restore replace the
// running lab, so once it has run they ask first (offering to save its state). Pure, tested without a DOM.

/** What the question needs of the running lab. */
export interface RunningLab {
  readonly lab: string;
  readonly atUs: number;
}

/** A lab that has run (virtual time past 0) holds work a replacement would lose. */
export function needsConfirmation(running: RunningLab | undefined): boolean {
  return running !== undefined && running.atUs > 0;
}

/** The question, in words: `Replace ha-pair (at 00:01:23.000) with cluster-4?` */
export function replaceQuestion(running: RunningLab, what: string, clock: string): string {
  return `Replace ${running.lab} (at ${clock}) with ${what}? What happened in it since it started is lost unless you save its state.`;
}
