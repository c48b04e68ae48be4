// The extension's settings, read fresh each time (a person may change them mid-session).

import * as vscode from 'vscode';
import { DEFAULTS } from '../contracts/defaults';

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
    iterations: clamp(
      c.get<number>('iterations', DEFAULTS.iterations),
      DEFAULTS.minIterations,
      DEFAULTS.maxIterations,
    ),
    trackAllocations: c.get<boolean>('trackAllocations', DEFAULTS.trackAllocations),
    retainerPaths: clamp(c.get<number>('retainerPaths', DEFAULTS.retainerPaths), 1, 20),
    graphSizeLimit: clamp(c.get<number>('graphSizeLimit', DEFAULTS.graphSizeLimit), 20, 5000),
    nodePath: c.get<string>('nodePath', ''),
  };
}
