// Runs inside the debuggee, preloaded with `node --require tsLoader.js` when the scenario or
// program is TypeScript (.ts, .mts, .cts, .tsx). Bundled to dist/tsLoader.js.
//
// Why our own hook and not `tsx` or `ts-node`: the hook must ship inside the VSIX (bundles
// only, no node_modules) and must be light in the debuggee's heap, where every byte shows up in
// each snapshot (esbuild's JS API is ~1 MB of heap; TypeScript's compiler would be ~17 MB).
// esbuild does the transpiling and get-tsconfig reads tsconfig.json (with `extends`) and its
// `paths`; this file only wires them into Node's two loaders:
// - CommonJS: `require.extensions` for the TypeScript extensions, and `_resolveFilename` for
//   `paths` aliases and `./x.js` specifiers that name `./x.ts` (TypeScript's NodeNext style);
// - ES modules: `module.register` resolve/load hooks (Node ≥ 20.6) in the loader thread. A
//   TypeScript file whose format is CommonJS is handed back to the CommonJS loader (load returns
//   no source), so one file is never compiled two ways.
// Every file gets an inline source map with its sources, so Heap Lens's script registry (through
// Debugger.scriptParsed) and Node's own stack traces show the .ts lines.

import fs from 'node:fs';
import path from 'node:path';
import Module from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPathsMatcher, getTsconfig, type TsConfigResult } from 'get-tsconfig';
import type * as esbuildTypes from 'esbuild';
import { isTypeScriptFile } from './harnessProtocol';

/** Extensions tried, in TypeScript's order, for a specifier that names no file as written. */
const PROBES = ['.ts', '.tsx', '.mts', '.cts', '/index.ts', '/index.tsx'];
const LOAD_ERROR_CODE = 'HEAPLENS_TS_LOAD';

// --- esbuild: from node_modules when there is one (CLI, checkout), else the copy shipped beside
// this bundle in dist/esbuild (the VSIX), whose binary esbuild finds through ESBUILD_BINARY_PATH.
let esbuild: typeof esbuildTypes | undefined;
function compiler(): typeof esbuildTypes {
  if (esbuild) return esbuild;
  const shipped = path.join(__dirname, 'esbuild');
  if (fs.existsSync(path.join(shipped, 'lib', 'main.js'))) {
    process.env.ESBUILD_BINARY_PATH ??= path.join(shipped, 'bin', 'esbuild');
    esbuild = require(path.join(shipped, 'lib', 'main.js')) as typeof esbuildTypes;
  } else {
    esbuild = require('esbuild') as typeof esbuildTypes;
  }
  return esbuild;
}

// --- tsconfig.json, looked up once per directory.
interface Project {
  config: TsConfigResult | null;
  paths: ((specifier: string) => string[]) | null;
}
const projects = new Map<string, Project>();
function projectOf(file: string): Project {
  const dir = path.dirname(file);
  let p = projects.get(dir);
  if (!p) {
    const config = getTsconfig(dir);
    p = { config, paths: config ? createPathsMatcher(config) : null };
    projects.set(dir, p);
  }
  return p;
}

/** The compiler options esbuild understands, taken from the project's tsconfig. */
function tsconfigRaw(file: string): esbuildTypes.TransformOptions['tsconfigRaw'] {
  const o = projectOf(file).config?.config.compilerOptions ?? {};
  return {
    compilerOptions: {
      experimentalDecorators: o.experimentalDecorators,
      useDefineForClassFields: o.useDefineForClassFields,
      jsx: o.jsx as never,
      jsxFactory: o.jsxFactory,
      jsxFragmentFactory: o.jsxFragmentFactory,
      jsxImportSource: o.jsxImportSource,
      target: o.target as never,
      alwaysStrict: o.alwaysStrict,
    },
  };
}

/** Transpile one file to `format`, or throw an error whose message is `file:line:col: text`. */
export function transpile(file: string, format: 'cjs' | 'esm'): string {
  const source = fs.readFileSync(file, 'utf8');
  try {
    return compiler().transformSync(source, {
      loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
      format,
      sourcefile: file,
      sourcemap: 'inline',
      sourcesContent: true,
      target: `node${process.versions.node.split('.')[0]}`,
      tsconfigRaw: tsconfigRaw(file),
      logLevel: 'silent',
    }).code;
  } catch (e) {
    const first = (e as { errors?: esbuildTypes.Message[] }).errors?.[0];
    if (!first) throw e;
    const where = first.location
      ? `${first.location.file}:${first.location.line}:${first.location.column + 1}`
      : file;
    const err = new Error(`${where}: ${first.text}`) as Error & { code: string };
    err.code = LOAD_ERROR_CODE;
    throw err;
  }
}

/** The module format Node would give this file: by extension, else the nearest package.json. */
export function formatOf(file: string): 'cjs' | 'esm' {
  if (file.endsWith('.mts')) return 'esm';
  if (file.endsWith('.cts')) return 'cjs';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module'
          ? 'esm'
          : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (path.dirname(dir) === dir) return 'cjs';
  }
}

/**
 * Candidate files for a specifier that Node could not resolve from a TypeScript file: `paths`
 * aliases (bare specifiers), then the TypeScript spellings of a relative one.
 */
export function candidates(specifier: string, fromFile: string): string[] {
  const dir = path.dirname(fromFile);
  const bases: string[] = [];
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) bases.push(path.resolve(dir, specifier));
  else bases.push(...(projectOf(fromFile).paths?.(specifier) ?? []));
  const out: string[] = [];
  for (const base of bases) {
    out.push(base);
    const js = /\.([cm]?)js$/.exec(base);
    if (js) out.push(base.slice(0, -js[0].length) + `.${js[1]}ts`);
    for (const p of PROBES) out.push(base + p);
  }
  return out.filter((f) => isFile(f));
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

// --- the CommonJS side (main thread).
type ModuleWithInternals = typeof Module & {
  _extensions: Record<string, (m: { _compile(code: string, file: string): void }, file: string) => void>;
  _resolveFilename: (
    request: string,
    parent: { filename?: string } | undefined,
    ...rest: unknown[]
  ) => string;
};

function installCommonJs(): void {
  const M = Module as ModuleWithInternals;
  for (const ext of ['.ts', '.cts', '.tsx'])
    M._extensions[ext] = (m, file) => m._compile(transpile(file, 'cjs'), file);
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, ...rest) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (e) {
      const from = parent?.filename;
      if (!from || (e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
      const found = candidates(request, from)[0];
      if (!found) throw e;
      return resolve.call(this, found, parent, ...rest);
    }
  };
}

// --- the ES-module side: hooks that Node runs in its loader thread.
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (
  specifier: string,
  context: ResolveContext,
) => Promise<{ url: string; format?: string | null }>;
type NextLoad = (
  url: string,
  context: unknown,
) => Promise<{ format: string; source?: string | Buffer | null }>;

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<{ url: string; format?: string | null; shortCircuit?: boolean }> {
  try {
    return await next(specifier, context);
  } catch (e) {
    const parent = context.parentURL?.startsWith('file:') ? fileURLToPath(context.parentURL) : undefined;
    const code = (e as { code?: string }).code;
    if (!parent || (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT')) throw e;
    const found = candidates(specifier, parent)[0];
    if (!found) throw e;
    return { url: pathToFileURL(found).href, shortCircuit: true };
  }
}

export async function load(
  url: string,
  context: unknown,
  next: NextLoad,
): Promise<{ format: string; source?: string; shortCircuit?: boolean }> {
  if (!url.startsWith('file:')) return next(url, context) as Promise<{ format: string }>;
  const file = fileURLToPath(url);
  if (!isTypeScriptFile(file)) return next(url, context) as Promise<{ format: string }>;
  // CommonJS: no source, so Node's CommonJS loader (and the require hook above) takes it.
  if (formatOf(file) === 'cjs') return { format: 'commonjs', shortCircuit: true };
  return { format: 'module', source: transpile(file, 'esm'), shortCircuit: true };
}

/** Preloaded in the debuggee's main thread: both loaders learn TypeScript. */
export function install(): void {
  const register = (Module as { register?: (specifier: string, parentURL: string) => void }).register;
  if (typeof register !== 'function') {
    throw new Error(
      `TypeScript needs Node 20.6 or later to load ${process.argv[2] ?? 'the scenario'} (this is Node ${process.version})`,
    );
  }
  installCommonJs();
  register(pathToFileURL(__filename).href, pathToFileURL(__filename).href);
  // Stack traces of load errors and of the scenario's own errors point at the .ts lines.
  process.setSourceMapsEnabled(true);
}

/** True when this file was given to `node --require` (not merely imported, as by a test). */
function preloaded(): boolean {
  const a = process.execArgv;
  return (
    a.some(
      (arg, i) => (arg === '--require' || arg === '-r') && path.resolve(a[i + 1] ?? '') === __filename,
    ) || a.includes(`--require=${__filename}`)
  );
}

// As a preload in the main thread it installs itself; in the loader thread Node imports this
// same file only for its `resolve` and `load` exports.
if (isMainThread && preloaded()) install();
