// heaplens: the command-line face of the engine. Each subcommand lives in its own file.

import { runCli } from './commands';
import { forTerminal } from '../core/sanitize';

// Output piped into `head` and closed early is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `heaplens: ${forTerminal(e instanceof Error ? e.message : String(e), { multiline: true })}\n`,
    );
    process.exitCode = 2;
  },
);
