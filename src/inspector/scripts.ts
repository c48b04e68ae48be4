// Script ids → URLs (from Debugger.scriptParsed) and generated → original positions
// through source maps, so an allocation in compiled TypeScript points at the .ts line.
//
// Position convention, everywhere in this file: lines AND columns are 1-based, as in
// the heap snapshot's trace_function_infos and in report.ts's SourceFrame. (CDP's
// Debugger domain is 0-based; trace-mapping uses 1-based lines and 0-based columns;
// the conversions happen here and nowhere else.) A line of 0 means "unknown".

import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  TraceMap,
  originalPositionFor,
  GREATEST_LOWER_BOUND,
  LEAST_UPPER_BOUND,
} from '@jridgewell/trace-mapping';
import type { CdpClient } from './cdp';

export interface ScriptInfo {
  scriptId: string;
  url: string;
  sourceMapURL: string;
}

export interface OriginalPosition {
  /** Absolute file path when the source is a file, else the URL as the map names it. */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Original identifier at that position, when the map has one. */
  name?: string;
}

/** How to fetch a map's text; the default reads local files only. */
export type SourceMapLoader = (mapUrl: string) => Promise<string | undefined>;

const MAX_MAP_BYTES = 64 * 1024 * 1024;

export class ScriptRegistry {
  private readonly byId = new Map<string, ScriptInfo>();
  private readonly byUrl = new Map<string, ScriptInfo>();
  private readonly maps = new Map<string, Promise<{ map: TraceMap } | undefined>>();
  private readonly sources = new Map<string, Promise<string | undefined>>();
  private client: CdpClient | undefined;
  private off: (() => void) | undefined;

  constructor(private readonly loadMap: SourceMapLoader = readLocalMap) {}

  /**
   * Start recording scriptParsed events. Debugger.enable replays every script already
   * loaded, so attaching late still sees them all. Call before Debugger.enable.
   */
  attach(client: CdpClient): void {
    this.off?.();
    this.client = client;
    this.off = client.on('Debugger.scriptParsed', (e) =>
      this.add({ scriptId: e.scriptId, url: e.url, sourceMapURL: e.sourceMapURL ?? '' }),
    );
  }

  detach(): void {
    this.off?.();
    this.off = undefined;
    this.client = undefined;
  }

  add(info: ScriptInfo): void {
    this.byId.set(info.scriptId, info);
    if (info.url) this.byUrl.set(info.url, info);
  }

  get(scriptId: string | number): ScriptInfo | undefined {
    return this.byId.get(String(scriptId));
  }

  /** The script last announced with this URL (file:// URL, or path for a path-named script). */
  findByUrl(url: string): ScriptInfo | undefined {
    return this.byUrl.get(url);
  }

  urlOf(scriptId: string | number): string | undefined {
    return this.get(scriptId)?.url || undefined;
  }

  /**
   * The text V8 compiled for a script, which is what allocation positions refer to. It differs
   * from the file on disk whenever a loader transformed it (TypeScript through a hook, ts-node,
   * Babel); undefined once the connection is gone or for a script V8 never announced.
   */
  generatedSource(scriptIdOrUrl: string | number): Promise<string | undefined> {
    const key = String(scriptIdOrUrl);
    const info = this.byId.get(key) ?? this.byUrl.get(key);
    const client = this.client;
    if (!info?.scriptId || !client || client.closedBecause) return Promise.resolve(undefined);
    let p = this.sources.get(info.scriptId);
    if (!p) {
      p = client.send('Debugger.getScriptSource', { scriptId: info.scriptId }).then(
        (r) => r.scriptSource,
        () => undefined,
      );
      this.sources.set(info.scriptId, p);
    }
    return p;
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Map a generated position back through the script's source map.
   *
   * `scriptIdOrUrl`: a V8 script id (number or string, as in trace_function_infos'
   * script_id or CDP's scriptId) or a script URL / absolute path (script_name). A URL
   * never announced by scriptParsed is looked up on disk (`//# sourceMappingURL=` or a
   * `.map` file next to it).
   * `line`, `column`: 1-based. Returns undefined when there is no map or no mapping;
   * the caller then keeps the generated position.
   */
  async resolveOriginalPosition(
    scriptIdOrUrl: string | number,
    line: number,
    column: number,
  ): Promise<OriginalPosition | undefined> {
    if (!(line >= 1)) return undefined;
    const info = this.lookup(scriptIdOrUrl);
    if (!info?.url) return undefined;
    const loaded = await this.mapFor(info);
    if (!loaded) return undefined;
    const col0 = Math.max(0, column - 1);
    // V8 reports a function's position where its header starts; the nearest mapping
    // may sit just before (GLB) or just after (LUB) that column.
    let pos = originalPositionFor(loaded.map, { line, column: col0, bias: GREATEST_LOWER_BOUND });
    if (pos.source === null || pos.line === null)
      pos = originalPositionFor(loaded.map, { line, column: col0, bias: LEAST_UPPER_BOUND });
    if (pos.source === null || pos.line === null || pos.column === null) return undefined;
    const out: OriginalPosition = { path: toPath(pos.source), line: pos.line, column: pos.column + 1 };
    if (pos.name) out.name = pos.name;
    return out;
  }

  private lookup(scriptIdOrUrl: string | number): ScriptInfo | undefined {
    const key = String(scriptIdOrUrl);
    const known = this.byId.get(key) ?? this.byUrl.get(key);
    if (known) return known;
    if (typeof scriptIdOrUrl === 'number' || /^\d+$/.test(key)) return undefined;
    // script_name in a snapshot may be a path where scriptParsed said file://, or v.v.
    const alt = key.startsWith('file:')
      ? safeFileURLToPath(key)
      : path.isAbsolute(key)
        ? pathToFileURL(key).href
        : undefined;
    return (alt && this.byUrl.get(alt)) || { scriptId: '', url: key, sourceMapURL: '' };
  }

  private mapFor(info: ScriptInfo): Promise<{ map: TraceMap } | undefined> {
    const key = `${info.url}\n${info.sourceMapURL}`;
    let p = this.maps.get(key);
    if (!p) {
      p = this.loadFor(info).catch(() => undefined);
      this.maps.set(key, p);
    }
    return p;
  }

  private async loadFor(info: ScriptInfo): Promise<{ map: TraceMap } | undefined> {
    const scriptUrl = toUrl(info.url);
    if (!scriptUrl) return undefined;
    let ref = info.sourceMapURL;
    if (!ref && scriptUrl.protocol === 'file:') ref = await findSourceMappingURL(fileURLToPath(scriptUrl));
    const candidates: string[] = [];
    if (ref) candidates.push(new URL(ref, scriptUrl).href);
    else if (scriptUrl.protocol === 'file:') candidates.push(`${scriptUrl.href}.map`); // the "next to the script" convention
    for (const mapUrl of candidates) {
      const text = mapUrl.startsWith('data:') ? decodeDataUrl(mapUrl) : await this.loadMap(mapUrl);
      if (!text) continue;
      // For a data: map, sources resolve against the script, as browsers do.
      return { map: new TraceMap(text, mapUrl.startsWith('data:') ? scriptUrl.href : mapUrl) };
    }
    return undefined;
  }
}

function toUrl(s: string): URL | undefined {
  if (path.isAbsolute(s)) return pathToFileURL(s);
  try {
    return new URL(s);
  } catch {
    return undefined; // node:internal/…, evalmachine, empty
  }
}

function toPath(source: string): string {
  return source.startsWith('file:') ? (safeFileURLToPath(source) ?? source) : source;
}

function safeFileURLToPath(u: string): string | undefined {
  try {
    return fileURLToPath(u);
  } catch {
    return undefined;
  }
}

function decodeDataUrl(u: string): string | undefined {
  const comma = u.indexOf(',');
  if (comma < 0) return undefined;
  const meta = u.slice(5, comma);
  const data = u.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}

async function readLocalMap(mapUrl: string): Promise<string | undefined> {
  if (!mapUrl.startsWith('file:')) return undefined; // never fetch over the network on a debuggee's say-so
  const file = fileURLToPath(mapUrl);
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_MAP_BYTES) return undefined;
  return fs.readFile(file, 'utf8');
}

/** The last `//# sourceMappingURL=` of a file on disk (only its tail is read). */
async function findSourceMappingURL(file: string): Promise<string> {
  const fh = await fs.open(file, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const { size } = await fh.stat();
    // Inline maps can be large; a whole-file read is bounded by MAX_MAP_BYTES anyway.
    const len = Math.min(size, MAX_MAP_BYTES);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    const m = /\/\/[#@]\s*sourceMappingURL=\s*(\S+)\s*$/.exec(buf.toString('utf8').trimEnd());
    return m ? m[1] : '';
  } finally {
    await fh.close();
  }
}
