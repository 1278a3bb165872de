#!/usr/bin/env node
// Entry point of the `filerlab` command. The sources are TypeScript, loaded through tsx so that the
// command, the lab host and its worker threads run the same files the tests check.
import { register } from 'tsx/esm/api';

// `filerlab bench footprint` times whole processes: asked to, one says what it cost as it exits.
if (process.env.FILERLAB_REPORT_USAGE) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    process.stderr.write(`filerlab-usage maxrss=${usage.maxRSS} cpu=${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}

register();
const { main } = await import('../emulator/cli/main.ts');
const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
