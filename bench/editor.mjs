// The editor's path to its first view of one snapshot, as src/extension/snapshotEditor.ts and
// webviewHost.ts walk it: the bundled worker (dist/analysisWorker.js) loads the file, then the
// first view's questions (suspects, the dominator tree's first level and the Summary by
// location, asked together; then the top suspect's retainer graph and its node info), each
// answer crossing the thread boundary and then serialized as JSON, as a webview post is.
// The budget: the first view within 1.3x the CLI's load (`heaplens load-stats`,
// measured by the editor hook in the same run). Prints `key  value` lines.
//   node bench/editor.mjs FILE
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { startAnalysisWorker } = require(path.join(repo, 'out', 'src', 'core', 'worker', 'client.js'));
const { DEFAULTS } = require(path.join(repo, 'out', 'src', 'contracts', 'defaults.js'));

const file = process.argv[2];
if (!file) {
  console.log('error  usage: node bench/editor.mjs FILE');
  process.exit(2);
}
const line = (k, v) => console.log(`${k.padEnd(21)}${v}`);
let posted = 0;
let postMs = 0;
/** What WebviewHost.post costs the extension host: the message as JSON. */
const post = (message) => {
  const t = performance.now();
  posted += JSON.stringify(message).length;
  postMs += performance.now() - t;
};

const t0 = performance.now();
const worker = startAnalysisWorker(() => {}, path.join(repo, 'dist', 'analysisWorker.js'));
try {
  const stats = await worker.api.loadFile(file);
  const loaded = performance.now();
  // As WebviewHost.showWorkbench: the Summary waits until its tab is first shown.
  const [suspects, dominators] = await Promise.all([
    worker.api.suspects(),
    worker.api.dominators({ depth: 1, limit: 100 }),
  ]);
  const answered = performance.now();
  post({ type: 'showWorkbench', title: path.basename(file), suspects, dominators });
  let graphNodes = 0;
  if (suspects[0]) {
    const graph = await worker.api.retainerGraph(suspects[0].id, {
      paths: DEFAULTS.retainerPaths,
      ignoredIds: [],
      maxNodes: DEFAULTS.graphSizeLimit,
      folded: true,
      excludeStack: false,
    });
    await worker.api.nodeInfo(suspects[0].id);
    if (graph) {
      graphNodes = graph.nodes.length;
      post({ type: 'showGraph', graph, title: 'first', maxVisibleNodes: DEFAULTS.graphSizeLimit });
    }
  }
  const firstView = performance.now();
  line('worker_load_ms', (loaded - t0).toFixed(0));
  line('first_questions_ms', (answered - loaded).toFixed(0));
  line('top_graph_ms', (firstView - answered).toFixed(0));
  line('first_view_ms', (firstView - t0).toFixed(0));
  line('post_json_ms', postMs.toFixed(0));
  line('posted_kb', (posted / 1024).toFixed(0));
  line('suspects', suspects.length);
  line('graph_nodes', graphNodes);
  line('node_count', stats.nodeCount);
} finally {
  await worker.dispose();
}
