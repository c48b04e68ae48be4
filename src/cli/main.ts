// heaplens: the command-line face of the engine. Each subcommand lives in its own file.

import { runCli } from './commands';

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`heaplens: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
