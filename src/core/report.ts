// The plain JSON that leaves the engine: what the CLI prints with --json, what the
// webview draws, what the extension keeps. Nothing here refers to typed arrays, so a
// report can cross a worker boundary, a postMessage to a webview, or a file.

/** One frame of an allocation stack; line and column are 1-based. */
export interface SourceFrame {
  path: string;
  line: number;
  column: number;
  functionName: string;
  /**
   * Which statement the line is: the allocation (`new`, `literal`), the call into the next
   * frame (`call`, `super`), or only the function's first line (`function`: not resolved).
   */
  statement?: 'new' | 'literal' | 'call' | 'super' | 'function';
  /** The npm package the frame's file belongs to (from its node_modules folder). */
  package?: string;
}

export interface AllocationSite extends SourceFrame {
  /**
   * The site is the user frame: the first frame outside node_modules and Node's own code
   * (for objects a package allocates, the user's call into it). `allocatedIn` is the frame
   * that really allocated, when it is another (inside the package, or the object's own
   * constructor).
   */
  allocatedIn?: SourceFrame;
  /** Innermost frame first, each at its statement. */
  stack: SourceFrame[];
}

/** One step of a retainer path, read from a GC root down to the retained object. */
export interface RetainerStep {
  /** Edge name as V8 names it (property name, element index, context variable); null for the root. */
  edge: string | null;
  /** Class (constructor) name or V8 node name of the object at this step. */
  node: string;
  /**
   * In a folded path: the step as a person reads it ("module books.js", "closure variable
   * `book` of `validateBook`") when it stands for Node's plumbing; `edge` is then the last
   * raw edge it folds.
   */
  label?: string;
  /** In a folded path: how many raw steps this one stands for, when more than one. */
  folds?: number;
}

/** The leak report of issue 3, exactly as `heaplens find-leaks --json` writes it. */
export interface LeakReport {
  leaks: Leak[];
}

export interface Leak {
  /** The class of the kept objects, or for closures the function's name. */
  name: string;
  /** Other classes the same cause keeps ("also keeps: IncomingMessage ×40"), most first. */
  alsoKeeps?: { name: string; count: number }[];
  count: number;
  retainedSize: number;
  growthPerIteration: number;
  explanation: string;
  allocationSites: AllocationSite[];
  /** The path folded for reading (module registry, closure scopes): what is shown by default. */
  retainerPath: RetainerStep[];
  /** The same path exactly as V8 has it, every step. */
  rawRetainerPath?: RetainerStep[];
}

// ---- The retainer graph handed to the webview ------------------------------------

/** How a node is drawn; a person must tell these apart without colour alone. */
export type GraphNodeKind =
  'root' | 'object' | 'closure' | 'array' | 'string' | 'system' | 'native' | 'code' | 'number' | 'group';

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
  /**
   * Drawn without the pause's own roots (stack, debugger): whether a paused frame holds the
   * object too, whether nothing else does (it is collected when the frames return), and
   * whether only the debugger's own handles do (core/pause.ts).
   */
  pause?: { heldByStack: boolean; onlyStack: boolean; onlyDebugger?: boolean };
}
