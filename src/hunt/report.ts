// The hunt's result as the plain JSON report of issue 3 (src/core/report.ts).

import { HuntResult } from './hunt';
import { SiteResolver } from './sites';
import { AllocationSite, Leak, LeakReport, RetainerStep } from '../core/report';
import { explainLeak } from '../core/leaks/explain';
import { leakName, LeakCandidateGroup } from '../core/leaks/detect';
import { containerOwnerClass } from '../core/leaks/naming';
import { HeapAnalysis } from '../core/graph/analysis';
import { className, nodeLabel } from '../core/describe';
import { RetainerPath, trimRoot } from '../core/paths';
import { foldPath } from '../core/leaks/fold';
import { personClass } from '../core/leaks/steps';
import { SYMBOL_FOR, symbolRegistryPath } from '../core/leaks/symbolRegistry';

export async function buildLeakReport(
  result: HuntResult,
  sites: SiteResolver,
  maxLeaks = 20,
): Promise<LeakReport> {
  const leaks: Leak[] = [];
  for (const g of result.leaks.slice(0, maxLeaks)) {
    const a = result.analysis;
    // A container of numbers is counted in entries, and named after the variable holding it.
    const count = g.grownEntries?.entries ?? g.members.length;
    const grown = g.grownEntries !== undefined;
    // Keys of V8's symbol registry: shown through the registry, not V8's string table.
    const registryPath = stringLeak(g.className)
      ? symbolRegistryPath(a, g.members[0], result.distance)
      : null;
    const path = registryPath ?? g.path;
    // Plain objects in a container of a class a person knows are that class's entries.
    const owner = leakName(g) === 'Object' ? containerOwnerClass(a, path) : null;
    const name = registryPath
      ? SYMBOL_FOR
      : stringLeak(g.className) || grown
        ? (containerName(a, g.path, grown) ?? leakName(g))
        : (owner ?? personName(a, g));
    leaks.push({
      name,
      ...(g.alsoKeeps.length > 0
        ? { alsoKeeps: g.alsoKeeps.slice(0, 6).map((k) => ({ name: k.className, count: k.count })) }
        : {}),
      count,
      retainedSize: g.retainedSize,
      growthPerIteration: Math.round(g.growthPerIteration),
      explanation: explainLeak({
        analysis: a,
        path,
        count,
        name,
        retainedSize: g.retainedSize,
        closures: g.functionName !== undefined,
        entries: owner !== null,
        alsoKeeps: g.alsoKeeps,
        chain: g.chain,
        keptFrom: keptFrom(g, path),
        ...(g.grownEntries ? { entriesPerIteration: Math.round(g.grownEntries.perIteration) } : {}),
      }).sentence,
      allocationSites: await resolveSites(a, g, sites),
      ...paths(retainerSteps(a, path)),
    });
  }
  return { leaks };
}

/** A leak's name, an object's class as the program knows it (an AbortSignal Node made as an EventTarget). */
function personName(a: HeapAnalysis, g: LeakCandidateGroup): string {
  return g.functionName === undefined && g.members.length > 0 ? personClass(a, g.members[0]) : leakName(g);
}

/** Strings say nothing as a name: a leak of keys or texts is named after its container. */
function stringLeak(cls: string): boolean {
  return /^\((concatenated |sliced )?string\)$/.test(cls);
}

/**
 * The container a path's last named reference reaches (`scheduledJobs`), before the strings;
 * `toEnd`: the path ends at the container itself (a container of numbers).
 */
function containerName(a: HeapAnalysis, p: RetainerPath, toEnd = false): string | null {
  for (let i = p.edges.length - (toEnd ? 1 : 2); i >= 0; i--) {
    const t = a.snapshot.edgeTypeName(p.edges[i]);
    const name = a.snapshot.edgeNameString(p.edges[i]);
    if ((t === 'property' || t === 'context') && /^[A-Za-z_$][\w$]*$/.test(name)) return name;
  }
  return null;
}

function paths(steps: {
  folded: RetainerStep[];
  raw: RetainerStep[];
}): Pick<Leak, 'retainerPath' | 'rawRetainerPath'> {
  return { retainerPath: steps.folded, rawRetainerPath: steps.raw };
}

/** Where on the representative path the new objects begin (the top of the kept subtree). */
function keptFrom(g: LeakCandidateGroup, path: RetainerPath): number {
  const roots = new Set(g.roots);
  const i = path.nodes.findIndex((n) => roots.has(n));
  return i >= 0 ? i : path.nodes.length - 1;
}

/** The representative path, folded for reading and raw. */
export function retainerSteps(
  a: HeapAnalysis,
  path: RetainerPath,
): { folded: RetainerStep[]; raw: RetainerStep[] } {
  const p = trimRoot(a, path);
  const last = p.nodes.length - 1;
  const node = (n: number, i: number): string => (i === last ? className(a, n) : nodeLabel(a, n));
  const raw = p.nodes.map((n, i) => ({
    edge: i === 0 ? null : a.snapshot.edgeNameString(p.edges[i - 1]),
    node: node(n, i),
  }));
  const folded = foldPath(a, p).map((f): RetainerStep => ({
    ...raw[f.to],
    ...(f.label ? { label: f.label } : {}),
    ...(f.to > f.from ? { folds: f.to - f.from + 1 } : {}),
  }));
  return { folded, raw };
}

async function resolveSites(
  a: HeapAnalysis,
  g: LeakCandidateGroup,
  sites: SiteResolver,
): Promise<AllocationSite[]> {
  const shape = {
    className: g.className,
    propertyNames: propertyNames(a, g.members[0]),
    functionName: g.functionName,
    ...(g.grownEntries ? { holder: containerName(a, g.path, true) ?? undefined } : {}),
  };
  // V8 loses or misplaces some records: a site that accounts for under a quarter of what the
  // main one does is noise, not a second cause.
  const main = g.sites[0]?.count ?? 0;
  const found: { site: AllocationSite; credible: boolean }[] = [];
  for (const site of g.sites.slice(0, 5)) {
    if (site.count * 4 < main) continue;
    const resolved = await sites.resolveStack(site.frames, shape);
    if (!resolved) continue;
    const top = resolved.site;
    if (
      found.some((x) => x.site.path === top.path && x.site.line === top.line && x.site.column === top.column)
    )
      continue;
    found.push(resolved);
  }
  // A function with no `new X(…)` or matching literal in it did not allocate these objects
  // (a misplaced record): drop it when another site does hold the allocation.
  const credible = found.filter((x) => x.credible);
  return (credible.length > 0 ? credible : found).slice(0, 3).map((x) => x.site);
}

/** Property names of an object, for matching it to an object literal. */
function propertyNames(a: HeapAnalysis, n: number | undefined): string[] {
  if (n === undefined) return [];
  const s = a.snapshot;
  const names: string[] = [];
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeTypeName(e) === 'property' && s.edgeNameString(e) !== '__proto__')
      names.push(s.edgeNameString(e));
  }
  return names;
}
