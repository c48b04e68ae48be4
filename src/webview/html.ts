// The webview page. Static markup only: everything that shows heap text is filled in
// by the script with textContent, never by this template. The CSP is the one the
// extension sets; tests serve this exact string so the page is tested under it.

export interface WebviewHtmlOptions {
  /** URI of media/dist/webview.js as the webview can load it (asWebviewUri). */
  scriptUri: string;
  /** URI of media/webview.css. */
  styleUri: string;
  /** webview.cspSource. */
  cspSource: string;
  /** A fresh random nonce per render (base64 or hex, at least 16 characters). */
  nonce: string;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
}

export function renderWebviewHtml({ scriptUri, styleUri, cspSource, nonce }: WebviewHtmlOptions): string {
  // A nonce with quotes or spaces would break out of the CSP source list.
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce))
    throw new Error('renderWebviewHtml: nonce must be 16+ base64/hex characters');
  // VS Code gives a source list ("'self' https://*.vscode-cdn.net"): each entry must be one
  // source expression, and nothing may end the directive (";") or start another (",").
  const sources = cspSource.trim().split(/\s+/);
  if (sources.some((x) => !/^('self'|[a-z][a-z0-9+.-]*:(\/\/[^\s;,']+)?|https?:\/\/[^\s;,']+)$/i.test(x))) {
    throw new Error('renderWebviewHtml: cspSource must be a list of source expressions');
  }
  cspSource = sources.join(' ');
  const csp = escapeAttr(contentSecurityPolicy(cspSource, nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(styleUri)}">
<title>Heap Lens: retainers</title>
</head>
<body>
<div class="app">
  <header class="toolbar" role="toolbar" aria-label="Graph tools">
    <h1 id="title" class="title">Heap Lens</h1>
    <label class="search">
      <span class="visually-hidden">Search nodes</span>
      <input id="search" type="search" placeholder="Search class, value or @id" autocomplete="off" spellcheck="false" aria-describedby="search-count">
    </label>
    <span id="search-count" class="muted" aria-live="polite"></span>
    <label class="toggle" title="Every step exactly as V8 has it, instead of Node's module registry and closure scopes folded"><input id="raw-paths" type="checkbox"> Raw paths</label>
    <label class="toggle" id="stack-paths-label" title="Also the paths through the paused frames (the stack, the debugger)" hidden><input id="stack-paths" type="checkbox"> Stack paths</label>
    <button id="more" type="button" class="secondary" hidden></button>
    <button id="fit" type="button" class="secondary" title="Fit the graph to the view">Fit</button>
    <button id="export" type="button" class="secondary" title="Save the graph as an SVG file">Export SVG</button>
  </header>
  <aside class="side" aria-label="Leaks and details">
    <section id="leaks-section" class="panel" aria-labelledby="leaks-heading" hidden>
      <h2 id="leaks-heading">Leaks</h2>
      <ol id="leaks" class="leaks"></ol>
    </section>
    <section class="panel" aria-labelledby="details-heading">
      <h2 id="details-heading">Selected object</h2>
      <div id="details" class="details"><p class="muted">Hover or focus a node.</p></div>
    </section>
    <section class="panel" aria-labelledby="path-heading">
      <h2 id="path-heading">Path from a GC root</h2>
      <ol id="path" class="path" aria-label="Retainer path, from GC root to object"></ol>
    </section>
  </aside>
  <main class="graph-pane">
    <svg id="graph" class="graph" role="group" aria-roledescription="retainer graph" aria-label="Retainer graph. Arrow keys move between objects, Enter opens the allocation site, Space expands retainers, I ignores a retainer." focusable="false"></svg>
    <p id="empty" class="empty muted">Waiting for a heap report…</p>
    <p id="failure" class="failure" role="alert" hidden></p>
    <p class="legend muted" aria-hidden="true">{} object · ƒ closure · [ ] array · “” string · ⚙ system · ⌂ GC root · ∑ group of many · bar = retained size</p>
    <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
  </main>
  <div id="announce" class="visually-hidden" aria-live="polite"></div>
</div>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}
