// Consoles end to end: `filerlab console filerA` in tmux against the runner's `filerlab serve`.
import { runTmuxConsoleTest } from '../console-tmux.mjs';

export default [
  {
    name: 'filerlab console filerA in tmux: cf status answers, Tab completes, Ctrl-] detaches',
    async run({ baseUrl }) {
      const skipped = await runTmuxConsoleTest({ wsUrl: `${baseUrl.replace('http://', 'ws://')}lab` });
      if (skipped) console.log(`       ${skipped}`);
    },
  },
];
