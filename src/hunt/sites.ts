// From what V8 recorded (a function, by script and start position) to where a person should
// look: the allocating statement inside that function, mapped through source maps to the
// original file (a TypeScript user lands in the .ts file).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScriptRegistry } from '../inspector/scripts';
import { RawFrame } from '../core/allocation';
import { AllocatedShape, findAllocatingStatement } from '../core/leaks/statement';
import { SourceFrame } from '../core/report';

export class SiteResolver {
  private readonly sources = new Map<string, string | null>();

  constructor(private readonly scripts: ScriptRegistry, private readonly hiddenScripts: string[] = []) {}

  /** The frames worth showing: the program's own, innermost first. */
  visibleFrames(frames: RawFrame[]): RawFrame[] {
    return frames.filter((f) => {
      const file = this.filePath(f);
      if (file && this.hiddenScripts.some((h) => file === h)) return false;
      // Frames V8 cannot place (the harness's evaluate, native code) say nothing to a person.
      return !f.scriptName.startsWith('node:') && f.scriptName !== '';
    });
  }

  /**
   * Resolves one frame; with `shape`, the innermost frame is narrowed to its allocating
   * statement, and `found` says whether that function really holds one (`new Book(…)` or a
   * matching literal) or only the function's own line could be given.
   */
  async resolve(frame: RawFrame, shape?: AllocatedShape): Promise<SourceFrame & { found?: boolean }> {
    const file = this.filePath(frame);
    let line = frame.line;
    let column = frame.column;
    let found: boolean | undefined;
    if (shape && file) {
      // What V8 ran, when the debuggee is still there (a loader may have transformed the file).
      const source = (await this.scripts.generatedSource(frame.scriptId || frame.scriptName)) ?? this.source(file);
      const statement = source ? findAllocatingStatement(source, line, column, shape) : null;
      if (statement) ({ line, column } = statement);
      found = statement !== null && statement.how !== 'function';
    }
    const resolved = await this.map(frame, file, line, column);
    return found === undefined ? resolved : { ...resolved, found };
  }

  private async map(frame: RawFrame, file: string | null, line: number, column: number): Promise<SourceFrame> {
    const key = frame.scriptName || frame.scriptId;
    const original = line > 0 ? await this.scripts.resolveOriginalPosition(key, line, column).catch(() => undefined) : undefined;
    if (original) return { path: original.path, line: original.line, column: original.column, functionName: frame.functionName || '(anonymous)' };
    return { path: file ?? frame.scriptName, line, column, functionName: frame.functionName || '(anonymous)' };
  }

  private filePath(frame: RawFrame): string | null {
    const name = frame.scriptName || this.scripts.urlOf(frame.scriptId) || '';
    if (name.startsWith('file:')) {
      try { return fileURLToPath(name); } catch { return null; }
    }
    return path.isAbsolute(name) ? name : null;
  }

  private source(file: string): string | null {
    if (!this.sources.has(file)) {
      let text: string | null = null;
      try {
        const st = fs.statSync(file);
        if (st.isFile() && st.size < 16 << 20) text = fs.readFileSync(file, 'utf8');
      } catch { text = null; }
      this.sources.set(file, text);
    }
    return this.sources.get(file) ?? null;
  }
}
