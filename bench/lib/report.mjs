// Markdown rendering of one bench run.  A failure is a result, not a hole: it is
// printed with its reason ("FAILED: RangeError: Invalid string length") because
// "which tool can open this file at all" is half of what the bench is for.
import { TOOLS } from './tools.mjs';

const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');
const esc = (s) => String(s).replace(/\|/g, '\\|');
// The 1-minute load average before → after a measurement (2 cores: above ~2, others were running).
const loadAvg = (f) => (f && Array.isArray(f.loadAvg) ? f.loadAvg.map((x) => x.toFixed(1)).join(' → ') : '—');
// The issue's targets: load ≥ 6× DevTools', peak RSS ≤ 1.5× the typed arrays.
const LOAD_TARGET = 6;
const RSS_TARGET = 1.5;
const mark = (ok) => (ok ? ' ✓' : ' ✗');

function cellStatus(f) {
  if (!f) return 'not run';
  if (f.skipped) return esc(f.skipped);
  if (f.ok) return 'ok';
  const after = Number.isFinite(f.failedAfterMs) ? f.failedAfterMs / 1000 : f.wallS;
  return `**FAILED**: ${esc(f.reason)} (after ${after.toFixed(1)} s)`;
}

// For ratios, a failed tool has no load time; say so instead of computing nonsense.
function loadRatio(num, numTool, den) {
  if (!num || !den) return '—';
  if (num.skipped || den.skipped) return 'n/a';
  if (!den.ok) return `${TOOLS.heaplens.title} failed`;
  if (!num.ok) return `${TOOLS[numTool].title} failed`;
  return ratio(num.loadMs, den.loadMs);
}

function rssRatio(hl, dt) {
  if (!hl || !dt) return '—';
  if (hl.skipped || dt.skipped) return 'n/a';
  if (!hl.ok || !dt.ok) return `${!hl.ok ? TOOLS.heaplens.title : TOOLS.devtools.title} failed`;
  return ratio(hl.rssMb, dt.rssMb);
}

export function renderMarkdown({ results, runHookResults = {}, tools, meta }) {
  const out = [];
  out.push(`## Heap Lens bench — ${meta.date}`);
  out.push('');
  out.push(
    `${meta.machine}; each tool in its own \`node --max-old-space-size=16000\`, one at a time, page cache warmed first.${meta.repeat > 1 ? ` Files under 1 GB: ${meta.repeat} runs of each tool, the tools taking turns; the median run is shown, the range of all runs beside its load.` : ''}`,
  );
  out.push(
    'load = parse + full analysis (retainers, dominators, retained sizes, distances). RSS = in-process `resourceUsage().maxRSS` after load; [bracketed] = `/usr/bin/time -v` for the whole process.',
  );
  out.push('');
  out.push('### Per tool');
  out.push('');
  out.push('| snapshot | tool | parse ms | load ms | peak RSS MB | nodes / edges | load avg | result |');
  out.push('|---|---|---:|---:|---:|---|---|---|');
  for (const r of results) {
    const snapCell = `${r.snap.name} (${r.fileMb ? `${r.fileMb.toFixed(1)} MB` : 'missing'})`;
    if (r.skipped) {
      out.push(`| ${snapCell} | all | — | — | — | — | — | ${esc(r.skipped)} |`);
      continue;
    }
    for (const t of tools) {
      const f = r.tools[t];
      const rss = f && !f.skipped ? `${int(f.rssMb)} [${int(f.timeRssMb)}]` : '—';
      const counts = f && f.ok ? `${int(f.nodeCount)} / ${int(f.edgeCount)}` : '—';
      // --repeat: the median run, and the range of all runs of this tool on this file
      const range =
        f && f.loadRange ? ` (${int(f.loadRange[0])}–${int(f.loadRange[1])}, ${f.runs} runs)` : '';
      out.push(
        `| ${snapCell} | ${TOOLS[t].title} | ${f && !f.skipped ? int(f.parseMs) : '—'} | ${f && f.ok ? int(f.loadMs) + range : '—'} | ${rss} | ${counts} | ${loadAvg(f)} | ${cellStatus(f)} |`,
      );
    }
  }
  out.push('');
  out.push('### Ratios (higher load ratio = Heap Lens faster; lower RSS ratio = Heap Lens leaner)');
  out.push('');
  out.push(
    `| snapshot | DevTools load / Heap Lens load (target ≥ ${LOAD_TARGET}) | MemLab load / Heap Lens load | VS Code parser load / Heap Lens load | Heap Lens RSS / DevTools RSS | Heap Lens RSS / its typed arrays (target ≤ ${RSS_TARGET}) |`,
  );
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    if (r.skipped) continue;
    const hl = r.tools.heaplens,
      dt = r.tools.devtools,
      ml = r.tools.memlab,
      vs = r.tools['vscode-parser'];
    const arrays =
      hl && hl.ok && Number.isFinite(hl.arraysMb)
        ? `${ratio(hl.rssMb, hl.arraysMb)} (${int(hl.arraysMb)} MB)${mark(hl.rssMb <= RSS_TARGET * hl.arraysMb)}`
        : '—';
    const vsDt = loadRatio(dt, 'devtools', hl);
    const dtMark = dt && dt.ok && hl && hl.ok ? mark(dt.loadMs >= LOAD_TARGET * hl.loadMs) : '';
    out.push(
      `| ${r.snap.name} | ${vsDt}${dtMark} | ${loadRatio(ml, 'memlab', hl)} | ${loadRatio(vs, 'vscode-parser', hl)} | ${rssRatio(hl, dt)} | ${arrays} |`,
    );
  }
  if (tools.includes('heaplens-baseline')) {
    out.push('');
    out.push('| snapshot | baseline build load / this build load | this build RSS / baseline RSS |');
    out.push('|---|---:|---:|');
    for (const r of results) {
      if (r.skipped) continue;
      const hl = r.tools.heaplens,
        base = r.tools['heaplens-baseline'];
      out.push(
        `| ${r.snap.name} | ${loadRatio(base, 'heaplens-baseline', hl)} | ${hl && base && hl.ok && base.ok ? ratio(hl.rssMb, base.rssMb) : '—'} |`,
      );
    }
  }
  const hookIds = meta.hooks.map((h) => h.id);
  if (hookIds.length) {
    out.push('');
    out.push('### Product timings (hooks in bench/lib/hooks/)');
    out.push('');
    out.push(`| snapshot | ${meta.hooks.map((h) => h.title).join(' | ')} |`);
    out.push(`|---|${meta.hooks.map(() => '---:').join('|')}|`);
    for (const r of results) {
      if (r.skipped) continue;
      const cells = hookIds.map((id) => {
        const h = r.hooks[id];
        if (!h) return '—';
        // A hook with a budget leads with its verdict (`headline`), then its figures.
        if (h.status === 'ok')
          return `${h.headline ? `${h.headline}: ` : ''}${int(h.ms)} ms${Number.isFinite(h.rssMb) ? ` [${int(h.rssMb)} MB]` : ''}${h.note ? ` (${esc(h.note)})` : ''} (load avg ${loadAvg(h)})`;
        if (h.status === 'failed') return `**FAILED**: ${esc(h.reason)}`;
        return `n/a: ${esc(h.note || '')}`;
      });
      out.push(`| ${r.snap.name} | ${cells.join(' | ')} |`);
    }
  }
  for (const h of meta.runHooks || []) {
    const res = runHookResults[h.id];
    out.push('');
    out.push(`### ${h.title}`);
    out.push('');
    if (!res) out.push('not run');
    else if (res.status === 'failed') out.push(`**FAILED**: ${esc(res.reason)}`);
    else if (res.status !== 'ok') out.push(`n/a: ${esc(res.note || '')}`);
    else if (res.table) {
      out.push(
        `${esc(res.note || '')}${Number.isFinite(res.rssMb) ? ` (process peak RSS ${int(res.rssMb)} MB)` : ''}; load average ${loadAvg(res)}`,
        '',
      );
      out.push(`| ${res.table.columns.map(esc).join(' | ')} |`);
      out.push(`|${res.table.columns.map(() => '---:').join('|')}|`);
      for (const row of res.table.rows) out.push(`| ${row.map(esc).join(' | ')} |`);
    } else out.push(`layout ${int(res.ms)} ms${Number.isFinite(res.rssMb) ? ` [${int(res.rssMb)} MB]` : ''}`);
  }
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.snap.name}: ${n}`));
  if (notes.length) {
    out.push('');
    out.push('### Notes');
    out.push(...notes);
  }
  return out.join('\n') + '\n';
}

// Different node/edge counts mean the tools did not analyze the same graph, which
// would make every ratio above meaningless; flag it loudly.
export function consistencyNotes(toolFigures) {
  const notes = [];
  const ref = toolFigures.devtools && toolFigures.devtools.ok ? ['devtools', toolFigures.devtools] : null;
  if (!ref) return notes;
  for (const [t, f] of Object.entries(toolFigures)) {
    if (t === 'devtools' || !f || !f.ok) continue;
    if (Number.isFinite(f.nodeCount) && f.nodeCount !== ref[1].nodeCount)
      notes.push(`${TOOLS[t].title} node_count ${f.nodeCount} ≠ DevTools ${ref[1].nodeCount}`);
    if (Number.isFinite(f.edgeCount) && f.edgeCount !== ref[1].edgeCount)
      notes.push(`${TOOLS[t].title} edge_count ${f.edgeCount} ≠ DevTools ${ref[1].edgeCount}`);
    // root_retained: only Heap Lens is meant to equal DevTools (the README shows memlab agrees too)
    if (t === 'heaplens' && Number.isFinite(f.rootRetained) && f.rootRetained !== ref[1].rootRetained) {
      notes.push(`Heap Lens root_retained ${f.rootRetained} ≠ DevTools ${ref[1].rootRetained}`);
    }
  }
  return notes;
}
