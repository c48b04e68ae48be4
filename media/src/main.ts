// Webview entry: listens to the host, keeps the current report and retainer graph,
// and wires the graph view to the side panels. The message contract and the order
// of the conversation are described in src/contracts/webview.ts.

import type { GraphNode, LeakReport, SourceFrame } from '../../src/core/report';
import {
  isHostMessage,
  type HostMessage,
  type MergeGraphMessage,
  type ShowGraphMessage,
} from '../../src/contracts/webview';
import { post } from './host';
import { GraphModel } from './model/graphModel';
import { leakPathGraph } from './model/pathGraph';
import { pathFromRoot, shortestRetainerTree } from './model/paths';
import { chooseVisible } from './model/prune';
import { exportSvg } from './render/exportSvg';
import { formatCount, label, nodeTitle } from './render/format';
import { GraphView } from './render/graphView';
import { renderDetails } from './ui/details';
import { announce, byId, withTooltip } from './ui/dom';
import { actionForKey, nextNode } from './ui/keyboard';
import { renderLeakList } from './ui/leakList';
import { renderClassList } from './ui/classList';
import type { ShowSummaryMessage, ShowWorkbenchMessage } from '../../src/contracts/webview';
import { renderPathList } from './ui/pathList';
import { Workbench } from './ui/workbench';
import { Search } from './ui/search';
import { Tooltip } from './ui/tooltip';

const DEFAULT_BUDGET = 5000;
/** How many more nodes one press of "N more" adds. */
const MORE_STEP = 1000;

const state = {
  report: undefined as LeakReport | undefined,
  selectedLeak: 0,
  model: undefined as GraphModel | undefined,
  visible: { keys: new Set<string>(), hiddenRetainers: new Map(), hiddenNodes: 0 },
  tree: new Map<string, number>(),
  revealed: new Set<string>(),
  budget: DEFAULT_BUDGET,
  selectedKey: undefined as string | undefined,
  /** Whether the leak list or class list is the panel's own content (kept beside any graph). */
  listed: false,
  /** Whether the graph drawn is a leak's (not an object a workbench row opened). */
  leakShown: false,
  /** The toolbar's toggles (see ViewOptionsMessage). */
  rawPaths: false,
  stackPaths: false,
};

const svg = byId<SVGSVGElement>('graph');
const pane = svg.parentElement as HTMLElement;
const tooltip = new Tooltip(byId('tooltip'), pane);
const moreButton = byId<HTMLButtonElement>('more');

const view = new GraphView(svg, {
  hover(node, event) {
    if (node && event) {
      tooltip.show(node, event);
      highlightPath(node.key);
    } else {
      tooltip.hide();
      highlightPath(state.selectedKey);
    }
  },
  activate: (node) => activate(node),
  focus: (node) => select(node.key),
  keydown(node, event) {
    const model = state.model;
    if (!model || !view.layout) return;
    const to = nextNode(event, node.key, model, view.layout, state.tree, state.visible.keys);
    const action = actionForKey(event);
    if (to === undefined && action === undefined) return;
    event.preventDefault();
    if (to !== undefined) view.focusNode(to);
    else if (action === 'openSource') {
      if (node.allocationSite) openSource(node.allocationSite);
      else announce(`No allocation site is known for ${nodeTitle(node)}.`);
    } else if (action === 'expand') activate(node);
    else if (action === 'ignore') ignore(node);
    else if (action === 'clear') view.clearHighlight();
  },
});

const search = new Search(byId('search'), byId('search-count'), () => state.model, {
  mark: (keys) => view.markMatches(keys),
  goTo: (key) => view.focusNode(key),
  visible: (key) => state.visible.keys.has(key),
});

/** Titles carry heap text (class names) from the host: bounded like every other label. */
function setTitle(text: string): void {
  const t = label(text, 200);
  const el = withTooltip(byId('title'), t.full);
  el.textContent = t.text;
  if (t.full === undefined) el.removeAttribute('title');
}

function openSource(site: SourceFrame): void {
  post({
    type: 'openSource',
    path: String(site.path),
    line: Math.max(1, Math.trunc(site.line)),
    column: Math.max(1, Math.trunc(site.column)),
  });
}

function highlightPath(key: string | undefined): void {
  const model = state.model;
  if (!model || !key) return view.clearHighlight();
  const edges = pathFromRoot(model, state.tree, key);
  const nodes = new Set<string>([key]);
  for (const e of edges) nodes.add(model.edges[e].from);
  view.highlight(nodes, edges);
}

/** Show a node in the side panels and light its path. */
function select(key: string | undefined): void {
  const model = state.model;
  state.selectedKey = key;
  const node = key ? model?.nodes.get(key) : undefined;
  if (!model || !node) return;
  renderDetails(byId('details'), node, state.visible.hiddenRetainers.get(node.key) ?? 0, {
    openSource,
    expand: activate,
    ignore,
  });
  renderPathList(byId('path'), model, pathFromRoot(model, state.tree, node.key), node.key);
  highlightPath(node.key);
}

/** Click / Space on a node: show retainers we hold but hide, and ask the host for the rest. */
function activate(node: GraphNode): void {
  const model = state.model;
  if (!model) return;
  select(node.key);
  const hidden = (model.incoming.get(node.key) ?? [])
    .map((e) => model.edges[e].from)
    .filter((k) => !state.visible.keys.has(k));
  if (hidden.length > 0) {
    state.revealed.add(node.key);
    for (const k of hidden) state.revealed.add(k);
    redraw(true);
    announce(`Showing ${formatCount(hidden.length)} more retainers of ${nodeTitle(node)}.`);
  }
  if ((node.moreRetainers ?? 0) > 0) {
    post(
      node.id === undefined
        ? { type: 'expandRetainers', key: node.key }
        : { type: 'expandRetainers', key: node.key, id: node.id },
    );
    announce(`Loading more retainers of ${nodeTitle(node)}…`);
  }
}

function ignore(node: GraphNode): void {
  if (node.kind === 'root' || node.target) return;
  post(
    node.id === undefined
      ? { type: 'ignoreRetainer', key: node.key }
      : { type: 'ignoreRetainer', key: node.key, id: node.id },
  );
  announce(`Looking for a path that avoids ${nodeTitle(node)}…`);
}

function redraw(keepView: boolean): void {
  const model = state.model;
  if (!model) return;
  state.visible = chooseVisible(model, state.budget, state.revealed);
  state.tree = shortestRetainerTree(model, state.visible.keys);
  byId('empty').hidden = true;
  view.draw(model, state.visible, keepView);
  const hidden = state.visible.hiddenNodes + model.hostHidden;
  moreButton.hidden = hidden === 0;
  moreButton.textContent = `${formatCount(hidden)} more`;
  moreButton.title =
    state.visible.hiddenNodes > 0 ? 'Draw more of the graph' : 'Load the nodes the extension left out';
  search.run();
  const keep = state.selectedKey && state.visible.keys.has(state.selectedKey) ? state.selectedKey : undefined;
  select(keep ?? view.focused);
}

function showGraph(msg: ShowGraphMessage): void {
  // An answer for a leak the user has since moved away from is stale.
  if (state.report && msg.leakIndex !== undefined && msg.leakIndex !== state.selectedLeak) return;
  state.leakShown = msg.leakIndex !== undefined;
  if (msg.leakIndex === undefined) {
    // One object ("Why is this alive?"): the same view without the leak list. A report's
    // list stays when a workbench row beside it opens another object's graph.
    if (!state.listed) state.report = undefined;
    // A class list stays beside the graph its rows open (as does the workbench, its own section).
    if (!state.listed) byId('leaks-section').hidden = true;
  }
  if (msg.title !== undefined) setTitle(msg.title);
  else if (!state.report) setTitle('Why is this object alive?');
  if (msg.view) {
    state.rawPaths = msg.view.rawPaths;
    state.stackPaths = msg.view.stackPaths;
    byId<HTMLInputElement>('raw-paths').checked = msg.view.rawPaths;
    byId<HTMLInputElement>('stack-paths').checked = msg.view.stackPaths;
    byId('stack-paths-label').hidden = !msg.view.paused;
  }
  state.model = new GraphModel(msg.graph);
  state.revealed = new Set();
  state.selectedKey = undefined;
  state.budget = msg.maxVisibleNodes ?? DEFAULT_BUDGET;
  redraw(false);
  announce(`Retainer graph with ${formatCount(state.model.nodes.size)} objects.`);
}

function mergeGraph(msg: MergeGraphMessage): void {
  const model = state.model;
  if (!model) return;
  const { addedNodes } = model.merge(msg.graph);
  // What was asked for must be seen: the node and its new retainers.
  state.revealed.add(msg.forKey);
  for (const e of model.incoming.get(msg.forKey) ?? []) state.revealed.add(model.edges[e].from);
  redraw(true);
  announce(`Added ${formatCount(addedNodes)} retainers.`);
}

function selectLeak(index: number): void {
  const report = state.report;
  if (!report || !report.leaks[index]) return;
  state.selectedLeak = index;
  renderLeakList(byId('leaks'), report, index, { select: selectLeak, openSource });
  const leak = report.leaks[index];
  setTitle(`Why are ${formatCount(leak.count)} ${String(leak.name)} alive?`);
  showGraph({ type: 'showGraph', graph: leakPathGraph(leak, index, state.rawPaths), leakIndex: index });
  post({ type: 'selectLeak', index });
}

function showReport(report: LeakReport, selected: number | undefined): void {
  state.report = report;
  state.listed = true;
  byId('leaks-section').hidden = false;
  if (report.leaks.length === 0) {
    byId('leaks').replaceChildren();
    byId('empty').textContent = 'No leaks found.';
    return;
  }
  selectLeak(selected !== undefined && report.leaks[selected] ? selected : 0);
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg: unknown = event.data;
  if (!isHostMessage(msg)) return;
  handle(msg);
});

function showSummary(msg: ShowSummaryMessage): void {
  state.listed = true;
  byId('leaks-section').hidden = false;
  byId('leaks-heading').textContent = 'Classes by retained size';
  setTitle(msg.title);
  const choose = (index: number): void => {
    renderClassList(byId('leaks'), msg.classes, index, choose, merged);
    const row = msg.classes[index];
    if (row) post({ type: 'selectNode', id: row.largestId });
  };
  const merged = (index: number): void => {
    const row = msg.classes[index];
    if (row) post({ type: 'mergedPaths', id: row.largestId, by: 'class' });
  };
  renderClassList(byId('leaks'), msg.classes, -1, choose, merged);
}

let workbench: Workbench | undefined;

/** The workbench's own section, below the leak or class list when the panel has one. */
function workbenchHost(): HTMLElement {
  const section = document.createElement('section');
  section.id = 'workbench-section';
  section.className = 'panel';
  section.setAttribute('aria-labelledby', 'workbench-heading');
  const heading = document.createElement('h2');
  heading.id = 'workbench-heading';
  heading.textContent = 'Snapshot';
  const host = document.createElement('div');
  host.id = 'workbench';
  section.append(heading, host);
  byId('leaks-section').after(section);
  return host;
}

function showWorkbench(msg: ShowWorkbenchMessage): void {
  if (!msg.alongside) {
    // A .heapsnapshot on its own: the workbench is the panel's content.
    byId('leaks-section').hidden = true;
    setTitle(msg.title);
  }
  workbench ??= new Workbench(workbenchHost(), {
    open: (id) => post({ type: 'selectNode', id }),
    expand: (id) => post({ type: 'expandDominator', id }),
    compare: () => post({ type: 'compareWith' }),
    merged: (id) => post({ type: 'mergedPaths', id, by: 'site' }),
    attribution: (by) => post({ type: 'attribution', by }),
    waste: () => post({ type: 'waste' }),
    summary: () => post({ type: 'summaryRows' }),
  });
  workbench.show(msg);
}

/** A question the host could not answer: said where the answer would have gone. */
function requestFailed(request: string, message: string): void {
  if (request === 'attribution' || request === 'waste' || request === 'summaryRows') {
    workbench?.failed(request, message);
    return;
  }
  const p = byId('failure');
  p.textContent = `Heap Lens could not answer that: ${message}`;
  p.hidden = false;
}

function handle(msg: HostMessage): void {
  // Any answer means the host is working again; an old failure no longer applies.
  if (msg.type !== 'requestFailed') byId('failure').hidden = true;
  switch (msg.type) {
    case 'requestFailed':
      return requestFailed(msg.request, msg.message);
    case 'showWorkbench':
      return showWorkbench(msg);
    case 'showAttribution':
      return workbench?.attributed(msg.attribution);
    case 'showWaste':
      return workbench?.wasted(msg.waste);
    case 'showSummaryRows':
      return workbench?.summarized(msg.summary);
    case 'dominatorChildren':
      return workbench?.children(msg.row);
    case 'showComparison':
      return workbench?.compared(msg);
    case 'showSummary':
      return showSummary(msg);
    case 'showReport':
      return showReport(msg.report, msg.selectedLeak);
    case 'showGraph':
      return showGraph(msg);
    case 'mergeGraph':
      return mergeGraph(msg);
  }
}

moreButton.addEventListener('click', () => {
  if (state.visible.hiddenNodes > 0) {
    state.budget += MORE_STEP;
    redraw(true);
  } else post({ type: 'loadMore' });
});
function viewOptionsChanged(): void {
  state.rawPaths = byId<HTMLInputElement>('raw-paths').checked;
  state.stackPaths = byId<HTMLInputElement>('stack-paths').checked;
  // The report's own path redraws at once; the host answers with its graph drawn the same way.
  const leak = state.leakShown ? state.report?.leaks[state.selectedLeak] : undefined;
  if (leak)
    showGraph({
      type: 'showGraph',
      graph: leakPathGraph(leak, state.selectedLeak, state.rawPaths),
      leakIndex: state.selectedLeak,
    });
  post({ type: 'viewOptions', rawPaths: state.rawPaths, stackPaths: state.stackPaths });
}
byId('raw-paths').addEventListener('change', viewOptionsChanged);
byId('stack-paths').addEventListener('change', viewOptionsChanged);
byId('fit').addEventListener('click', () => view.fit());
byId('export').addEventListener('click', () => {
  if (!view.layout) return;
  // A big graph is built lazily: the export needs all of it.
  view.buildAll();
  post({ type: 'exportSvg', svg: exportSvg(view.svgElement, view.layout) });
});

post({ type: 'ready' });
