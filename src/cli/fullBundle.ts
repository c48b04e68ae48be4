// What the light CLI bundle (dist/cli.js) has in place of the hunt, the CI gate and the MCP
// server: scripts/build.mjs points commands.ts's imports of findLeaks, check and mcp here.
// Their code (the inspector, ws, acorn, zod, the MCP SDK: most of the CLI's 2.3 MB) is not
// compiled into the bundle that `summary`, `load-stats` and the other snapshot commands run
// from, where compiling it cost ~10 MB of resident memory (docs/engine.md). Each runs the
// whole command line again in the full bundle (dist/cliFull.js, all of commands.ts), which
// reads the arguments and reports its own errors with its own classes, so no error crosses
// from one bundle's classes to the other's.

import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface FullCli {
  runCli(argv: string[]): Promise<number>;
}

async function inFullBundle(): Promise<number> {
  const full = (await import(pathToFileURL(path.join(__dirname, 'cliFull.js')).href)) as FullCli;
  return full.runCli(process.argv.slice(2));
}

export const findLeaksCommand = inFullBundle;
export const checkCommand = inFullBundle;
export const mcpCommand = inFullBundle;
