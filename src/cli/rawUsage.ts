// The usage lines of the commands that read their own arguments (check, mcp), apart from
// their code: commands.ts lists them in the help without loading those commands' modules.

export const CHECK_USAGE =
  '  check SCENARIO… [--iterations N] [--max-growth BYTES_PER_ITERATION] [--sarif OUT] [--junit OUT] [--quiet]\n' +
  '                                                   CI gate: exit 0 clean, 1 on a leak, 2 on a usage or run error';

export const MCP_USAGE =
  '  mcp                                              Model Context Protocol server on stdio (for coding agents)';
