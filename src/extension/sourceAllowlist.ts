// Which files a webview may ask the host to open. A webview is untrusted (its content is heap
// text; a compromised one can post anything that passes validation), so "open this path" is
// honoured only for files that the report or snapshot being shown names itself: its allocation
// sites, their stack frames, and the sites of the graph nodes the host sent. No vscode import,
// so it is tested in plain Node.

import path from 'node:path';
import type { LeakReport, RetainerGraph } from '../core/report';

export class SourceAllowlist {
  private readonly files = new Set<string>();

  private add(file: unknown): void {
    if (typeof file === 'string' && file.length > 0 && path.isAbsolute(file))
      this.files.add(path.normalize(file));
  }

  addReport(report: LeakReport): void {
    for (const leak of report.leaks) {
      for (const site of leak.allocationSites) {
        this.add(site.path);
        for (const frame of site.stack) this.add(frame.path);
      }
    }
  }

  addGraph(graph: RetainerGraph): void {
    for (const node of graph.nodes) this.add(node.allocationSite?.path);
  }

  /** Exactly a named file (after normalising `..` and duplicate separators), nothing near it. */
  allows(file: string): boolean {
    return path.isAbsolute(file) && this.files.has(path.normalize(file));
  }
}
