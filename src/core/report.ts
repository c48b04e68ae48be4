// The plain JSON that leaves the engine: what the CLI prints with --json, what the
// webview draws, what the extension keeps. Nothing here refers to typed arrays, so a
// report can cross a worker boundary, a postMessage to a webview, or a file.

/** One frame of an allocation stack; line and column are 1-based. */
export interface SourceFrame {
  path: string;
  line: number;
  column: number;
  functionName: string;
}

export interface AllocationSite extends SourceFrame {
  /** Innermost frame first. */
  stack: SourceFrame[];
}

/** One step of a retainer path, read from a GC root down to the retained object. */
export interface RetainerStep {
  /** Edge name as V8 names it (property name, element index, context variable); null for the root. */
  edge: string | null;
  /** Class (constructor) name or V8 node name of the object at this step. */
  node: string;
}

/** The leak report of issue 3, exactly as `heaplens find-leaks --json` writes it. */
export interface LeakReport {
  leaks: Leak[];
}

export interface Leak {
  name: string;
  count: number;
  retainedSize: number;
  growthPerIteration: number;
  explanation: string;
  allocationSites: AllocationSite[];
  retainerPath: RetainerStep[];
}

// ---- The retainer graph handed to the webview ------------------------------------

/** How a node is drawn; a person must tell these apart without colour alone. */
export type GraphNodeKind = 'root' | 'object' | 'closure' | 'array' | 'string' | 'system' | 'native' | 'code' | 'number' | 'group';

export interface GraphNode {
  /** Stable key within one graph (a snapshot node id, or "group:<n>" for a leak group). */
  key: string;
  /** V8 snapshot object id, when the node is one object. */
  id?: number;
  kind: GraphNodeKind;
  /** Class name, e.g. "Book", "Array", "(GC roots)". Untrusted heap text: escape on display. */
  name: string;
  /** Short value preview (string contents, number); untrusted heap text. */
  preview?: string;
  selfSize: number;
  retainedSize: number;
  distance: number;
  /** For a leak group: how many objects the one box stands for. */
  count?: number;
  allocationSite?: SourceFrame;
  /** How many retainers exist beyond those drawn (the "N more" affordance). */
  moreRetainers?: number;
  /** True for the object(s) the graph explains (drawn at the bottom). */
  target?: boolean;
}

export type GraphEdgeKind = 'property' | 'element' | 'context' | 'internal' | 'hidden' | 'shortcut' | 'weak';

export interface GraphEdge {
  /** From the retainer (closer to a GC root) to the retained object. */
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** Label as a person reads it: ".books", "[12]", "context: original", "Map entry", "listener". */
  label: string;
}

export interface RetainerGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Set when the graph was cut to its most important paths. */
  truncated?: { hiddenNodes: number };
}
