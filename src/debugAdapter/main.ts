// The heaplens debug adapter as a process speaking DAP over stdio (for editors other than
// VS Code, and for the tests; VS Code runs the same session in-process).

import { DebugSession } from '@vscode/debugadapter';
import { LeakHuntAdapter } from './leakHuntAdapter';

/** DebugSession.run constructs the session itself, with no arguments of ours. */
class StdioLeakHuntAdapter extends LeakHuntAdapter {
  constructor() {
    super();
  }
}

DebugSession.run(StdioLeakHuntAdapter);
