// heaplens mcp: the MCP server on stdin/stdout (src/mcp/server.ts). stdout carries only the
// protocol; what hunted programs print goes to stderr. The server ends when its client
// closes stdin (the client is gone), after stopping any running hunt.

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../mcp/server';
import { MCP_USAGE } from './rawUsage';

export async function mcpCommand(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write(`heaplens mcp takes no arguments (got ${argv.join(' ')})\nusage:\n${MCP_USAGE}\n`);
    return 2;
  }
  const mcp = createMcpServer();
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      mcp
        .close()
        .catch(() => undefined)
        .finally(resolve);
    };
    process.stdin.once('end', finish);
    process.stdin.once('close', finish);
    process.once('SIGTERM', finish);
    process.once('SIGINT', finish);
  });
  await mcp.server.connect(transport);
  // The SDK skips a line that is not a JSON-RPC message and only reports it; a client that
  // sent it gets nothing back and waits. Answer it as JSON-RPC says (id null: it had none we
  // could read), and keep serving.
  const reported = transport.onerror;
  transport.onerror = (e) => {
    const parse = e instanceof SyntaxError;
    const error = parse
      ? { code: -32700, message: `Parse error: ${e.message.slice(0, 200)}` }
      : { code: -32600, message: 'Invalid request: not a JSON-RPC message' };
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: null, error }) + '\n');
    reported?.(e);
  };
  process.stderr.write('heaplens mcp: ready on stdio\n');
  await closed;
  // Nothing of ours is left running (hunts were awaited); a library's idle handle must not
  // keep a server whose client has gone.
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}
