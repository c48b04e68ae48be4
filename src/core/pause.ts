// "Why is this alive?" while paused (issue 9): what keeps an object alive once the paused
// frames return and the debugger lets go. Two kinds of retainer exist only because of the pause:
// - V8's pause roots: (Stack roots) (every frame's locals, receivers and contexts), (Handle
//   scope) (handles the running native code holds), (Debugger);
// - the inspector's global handles. They share "(Global handles)" with the program's own (Node's
//   persistent handles, which are real reasons), but V8 labels each of the inspector's:
//   "N / DevTools console" for the remote objects the debugger UI was handed (the paused frames'
//   scope objects, each value the Variables view or the REPL showed) and console messages'
//   arguments, "N / DevTools debugger" for the debugger's own. Seen on Node 20 in snapshots of a
//   paused debuggee (test/integration/pausedWhy.test.ts pauses one).
// Paths are looked for in tiers: through neither kind; else the object is held only by the
// running code, and the paths go through the frames (still never through the inspector's
// handles, which are never the program's reason); else only the debugger holds it.

import { HeapAnalysis } from './graph/analysis';
import { computeDistances } from './graph/distances';
import { RetainerPath, retainerPathAvoiding, retainerPaths } from './paths';

/** V8's roots that exist only because the program is paused (or running). */
export const PAUSE_ROOTS = ['(Stack roots)', '(Handle scope)', '(Debugger)'];

/** How V8 names an inspector handle's edge from (Global handles): "48 / DevTools console". */
const INSPECTOR_HANDLE = / \/ DevTools [a-z]+$/;

/** How the pause itself holds an object. */
export interface PauseHold {
  /** A paused frame (or the debugger) refers to it directly. */
  heldByStack: boolean;
  /** Nothing but the running code keeps it: it is collected when the frames return. */
  onlyStack: boolean;
  /** Nothing but the debugger's own handles keep it (the Variables view, the console). */
  onlyDebugger?: boolean;
}

/** What paths follow for one target: distances, edges never taken, nodes never entered. */
export interface PauseRoute {
  distance: Int32Array;
  skipped: Uint8Array;
  avoided: number[];
}

export class PauseView {
  /** The pause roots' ordinals. */
  readonly roots: number[] = [];
  /** One byte per edge: the inspector's global handles. */
  readonly inspectorEdges: Uint8Array;
  /** Distances as if the frames had returned and no debugger were attached. */
  readonly afterReturn: Int32Array;
  private running: Int32Array | null = null;

  constructor(private readonly a: HeapAnalysis) {
    const s = a.snapshot;
    const marks = new Uint8Array(s.nodeCount);
    this.inspectorEdges = new Uint8Array(s.edgeCount);
    for (let i = 0; i < s.nodeCount; i++) {
      if (s.nodeType[i] !== a.kinds.synthetic) continue;
      const name = s.nodeNameString(i);
      if (PAUSE_ROOTS.includes(name)) {
        marks[i] = 1;
        this.roots.push(i);
      } else if (name === '(Global handles)') {
        for (let e = s.firstEdge[i]; e < s.firstEdge[i + 1]; e++)
          if (s.edgeHasStringName(e) && INSPECTOR_HANDLE.test(s.strings.get(s.edgeNameOrIndex[e])))
            this.inspectorEdges[e] = 1;
      }
    }
    this.afterReturn = computeDistances(s, a.kinds, a.weakMapNames, marks, undefined, this.inspectorEdges);
  }

  /** Distances with the frames but without the inspector's handles. */
  get whileRunning(): Int32Array {
    return (this.running ??= computeDistances(
      this.a.snapshot,
      this.a.kinds,
      this.a.weakMapNames,
      undefined,
      undefined,
      this.inspectorEdges,
    ));
  }

  hold(target: number): PauseHold {
    const { firstRetainer, retainerEdge } = this.a.retainers;
    let heldByStack = false;
    for (let i = firstRetainer[target]; i < firstRetainer[target + 1]; i++)
      if (this.roots.includes(this.a.snapshot.edgeOwner(retainerEdge[i]))) heldByStack = true;
    const gone = this.afterReturn[target] < 0 && this.a.distance[target] >= 0;
    const running = gone && this.whileRunning[target] >= 0;
    return { heldByStack, onlyStack: running, ...(gone && !running ? { onlyDebugger: true } : {}) };
  }

  /**
   * The tier paths of `target` follow: past the pause when anything there holds it, else
   * through the running code; when only the debugger holds it, the snapshot's own paths.
   * `withFrames` (the "Stack paths" toggle) starts at the second tier.
   */
  route(target: number, withFrames = false): PauseRoute {
    if (!withFrames && this.afterReturn[target] >= 0)
      return { distance: this.afterReturn, skipped: this.inspectorEdges, avoided: this.roots };
    if (this.whileRunning[target] >= 0)
      return { distance: this.whileRunning, skipped: this.inspectorEdges, avoided: [] };
    return { distance: this.a.distance, skipped: new Uint8Array(0), avoided: [] };
  }

  paths(target: number, k: number, withFrames = false): RetainerPath[] {
    const r = this.route(target, withFrames);
    return retainerPaths(this.a, target, k, r.distance, r.skipped);
  }

  /** "Ignore this retainer" while paused: the shortest path around `ignored`, in the same tier. */
  pathAvoiding(target: number, ignored: Iterable<number>, withFrames = false): RetainerPath | null {
    const r = this.route(target, withFrames);
    return retainerPathAvoiding(this.a, target, new Set([...ignored, ...r.avoided]), r.skipped);
  }
}
