// From what V8 recorded (a function, by script and start position) to where a person should
// look: the allocating statement inside the innermost function, and in every caller the call
// that leads to the next frame in, mapped through source maps to the original file (a
// TypeScript user lands in the .ts file). The site shown first is the user frame: the first
// frame outside node_modules and Node's own code.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScriptRegistry } from '../inspector/scripts';
import { RawFrame } from '../core/allocation';
import {
  AllocatedShape,
  callbackName,
  findAllocatingStatement,
  findCallStatement,
  StatementPosition,
} from '../core/leaks/statement';
import { AllocationSite, SourceFrame } from '../core/report';

export class SiteResolver {
  private readonly sources = new Map<string, string | null>();

  constructor(
    private readonly scripts: ScriptRegistry,
    private readonly hiddenScripts: string[] = [],
  ) {}

  /** The frames worth showing: the program's own and its packages', innermost first. */
  visibleFrames(frames: RawFrame[]): RawFrame[] {
    return frames.filter((f) => this.visible(f));
  }

  private visible(f: RawFrame): boolean {
    const file = this.filePath(f);
    if (file && this.hiddenScripts.some((h) => file === h)) return false;
    // Frames V8 cannot place (the harness's evaluate, native code) say nothing to a person.
    return !f.scriptName.startsWith('node:') && f.scriptName !== '';
  }

  /**
   * A whole allocation stack at its statements: the innermost frame at the allocation of
   * `shape`, each caller at its call into the frame below it (by that frame's name, `new`,
   * `super(…)`). `credible` is false when the innermost function holds no such allocation
   * (V8 misplaced the record). Null when no frame is the program's.
   */
  async resolveStack(
    raw: RawFrame[],
    shape: AllocatedShape,
    maxFrames = 12,
  ): Promise<{ site: AllocationSite; credible: boolean } | null> {
    const stack: SourceFrame[] = [];
    let credible = true;
    for (let i = 0; i < raw.length && stack.length < maxFrames; i++) {
      const f = raw[i];
      if (!this.visible(f)) continue;
      // The frame below this one in V8's stack, visible or not: a call into Node (`emit`)
      // is still the call this frame made.
      const inner = i > 0 ? raw[i - 1] : null;
      const frame = await this.resolveFrame(f, (source) =>
        inner
          ? findCallStatement(
              source,
              f.line,
              f.column,
              inner.functionName,
              (inner.scriptName || inner.scriptId) !== (f.scriptName || f.scriptId),
            )
          : findAllocatingStatement(source, f.line, f.column, shape),
      );
      if (!inner) credible = frame.statement !== 'function';
      stack.push(frame);
    }
    if (stack.length === 0) return null;
    const user = userFrame(stack, shape.className);
    const site: AllocationSite = { ...stack[user], stack };
    if (user > 0) site.allocatedIn = stack[0];
    return { site, credible };
  }

  private async resolveFrame(
    frame: RawFrame,
    find: (source: string) => StatementPosition | null,
  ): Promise<SourceFrame> {
    const file = this.filePath(frame);
    let line = frame.line;
    let column = frame.column;
    let statement: SourceFrame['statement'];
    // What V8 ran, when the debuggee is still there (a loader may have transformed the file).
    const source = file
      ? ((await this.scripts.generatedSource(frame.scriptId || frame.scriptName)) ?? this.source(file))
      : null;
    const found = source ? find(source) : null;
    if (found) ({ line, column, how: statement } = found);
    const resolved = await this.map(frame, file, line, column);
    const pkg = packageOf(resolved.path);
    // An anonymous callback is named by the call it is passed to, not by V8's guess.
    const callback = source ? callbackName(source, frame.line, frame.column) : null;
    if (callback) resolved.functionName = callback;
    return { ...resolved, ...(statement ? { statement } : {}), ...(pkg ? { package: pkg } : {}) };
  }

  private async map(
    frame: RawFrame,
    file: string | null,
    line: number,
    column: number,
  ): Promise<SourceFrame> {
    const key = frame.scriptName || frame.scriptId;
    const original =
      line > 0
        ? await this.scripts.resolveOriginalPosition(key, line, column).catch(() => undefined)
        : undefined;
    if (original)
      return {
        path: original.path,
        line: original.line,
        column: original.column,
        functionName: frame.functionName || '(anonymous)',
      };
    return {
      path: file ?? frame.scriptName,
      line,
      column,
      functionName: frame.functionName || '(anonymous)',
    };
  }

  private filePath(frame: RawFrame): string | null {
    const name = frame.scriptName || this.scripts.urlOf(frame.scriptId) || '';
    if (name.startsWith('file:')) {
      try {
        return fileURLToPath(name);
      } catch {
        return null;
      }
    }
    return path.isAbsolute(name) ? name : null;
  }

  private source(file: string): string | null {
    if (!this.sources.has(file)) {
      let text: string | null = null;
      try {
        const st = fs.statSync(file);
        if (st.isFile() && st.size < 16 << 20) text = fs.readFileSync(file, 'utf8');
      } catch {
        text = null;
      }
      this.sources.set(file, text);
    }
    return this.sources.get(file) ?? null;
  }
}

/** `…/node_modules/@scope/name/lib/x.js` → `@scope/name`; undefined outside node_modules. */
export function packageOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length - 1) return undefined;
  return parts[at + 1].startsWith('@') && at + 2 < parts.length - 1
    ? `${parts[at + 1]}/${parts[at + 2]}`
    : parts[at + 1];
}

/**
 * Index of the user frame: the first frame outside packages that is not the object's own
 * constructor (V8 charges `new Sub()` of a class extending a built-in to `Sub`'s
 * constructor, and a JavaScript base class's constructor reaches it through `super(…)`):
 * the caller's `new Sub(…)` is the line a person wrote. 0 when every frame is a package's.
 */
export function userFrame(stack: SourceFrame[], className: string): number {
  const own = (f: SourceFrame): boolean =>
    f.statement === 'super' ||
    (f.functionName === className && f.statement !== 'new' && f.statement !== 'literal');
  for (let i = 0; i < stack.length; i++) {
    if (stack[i].package) continue;
    if (own(stack[i]) && i + 1 < stack.length) continue;
    return i;
  }
  return 0;
}
