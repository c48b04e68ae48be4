// The extension's settings, read fresh each time (a person may change them mid-session).

import * as vscode from 'vscode';

export interface HeapLensSettings {
  iterations: number;
  trackAllocations: boolean;
  retainerPaths: number;
  graphSizeLimit: number;
  nodePath: string;
}

export function settings(): HeapLensSettings {
  const c = vscode.workspace.getConfiguration('heaplens');
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(v)));
  return {
    iterations: clamp(c.get<number>('iterations', 8), 2, 100),
    trackAllocations: c.get<boolean>('trackAllocations', true),
    retainerPaths: clamp(c.get<number>('retainerPaths', 3), 1, 20),
    graphSizeLimit: clamp(c.get<number>('graphSizeLimit', 400), 20, 5000),
    nodePath: c.get<string>('nodePath', ''),
  };
}
