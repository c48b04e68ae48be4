// Arguments: each command declares its positionals and options once (type, range, help),
// `util.parseArgs` reads them strictly (an unknown option or a missing value is an error),
// and every value is checked here, before the command does any work: whole decimal numbers
// in range, ids in decimal only, inputs that are regular files (a FIFO would block the read
// forever), output files whose folder exists and is writable (so a hunt does not run for
// minutes and then fail to write its report).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { forTerminal } from '../core/sanitize';

export type OptionSpec =
  | { kind: 'flag'; help: string }
  | { kind: 'int'; min: number; max: number; default: number; arg: string; help: string }
  | { kind: 'optionalInt'; min: number; max: number; arg: string; help: string }
  /** A snapshot object id: decimal digits only. */
  | { kind: 'id'; arg: string; help: string }
  /** Comma-separated object ids. */
  | { kind: 'ids'; arg: string; help: string }
  | { kind: 'text'; arg: string; help: string }
  /** A file to write: its folder must exist and be writable. */
  | { kind: 'outFile'; arg: string; help: string }
  /** HOST:PORT where HOST is a loopback IP address or exactly `localhost`. */
  | { kind: 'loopbackAddress'; arg: string; help: string };

export type PositionalSpec = { name: string; kind: 'inFile' | 'outFile'; optional?: boolean };

export interface CommandSpec {
  name: string;
  /** One line each, after `heaplens <name> `. */
  synopsis: string[];
  summary: string;
  /** More text for `--help`, after the summary. */
  details?: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  run(args: ParsedArgs): Promise<number>;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

type Value = string | boolean | number | number[] | { host: string; port: number } | undefined;

/** What a command gets: checked values by option name, positionals by their spec's name. */
export class ParsedArgs {
  constructor(
    readonly values: Readonly<Record<string, Value>>,
    readonly positionals: Readonly<Record<string, string | undefined>>,
  ) {}

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  int(name: string): number {
    const v = this.values[name];
    if (typeof v !== 'number') throw new Error(`--${name} is not a declared number option`);
    return v;
  }

  optionalInt(name: string): number | undefined {
    const v = this.values[name];
    return typeof v === 'number' ? v : undefined;
  }

  text(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  ids(name: string): number[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : [];
  }

  address(name: string): { host: string; port: number } | undefined {
    const v = this.values[name];
    return typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  }

  /** A positional the spec declares as required. */
  file(name: string): string {
    const v = this.positionals[name];
    if (v === undefined) throw new Error(`positional ${name} is not declared as required`);
    return v;
  }
}

const MAX_ID = Number.MAX_SAFE_INTEGER;
const DECIMAL = /^[0-9]{1,16}$/;

function show(v: string): string {
  return `"${forTerminal(v, { max: 80 })}"`;
}

function wholeNumber(flag: string, v: string, min: number, max: number, command: CommandSpec): number {
  const n = DECIMAL.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not ${show(v)}`, command);
  }
  return n;
}

function objectId(flag: string, v: string, command: CommandSpec): number {
  const n = DECIMAL.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_ID) {
    throw new UsageError(
      `${flag} takes an object id in decimal digits (as printed after @), not ${show(v)}`,
      command,
    );
  }
  return n;
}

/** An input file: exists and is a regular file (not a folder, FIFO, socket or device). */
export function checkInputFile(file: string, what: string, command?: CommandSpec): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new UsageError(`no ${what} at ${forTerminal(path.resolve(file))} (no such file)`, command);
  }
  if (!st.isFile()) {
    const kind = st.isDirectory()
      ? 'a folder'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isSocket()
          ? 'a socket'
          : 'not a regular file';
    throw new UsageError(`${forTerminal(file)} is ${kind}; the ${what} must be a regular file`, command);
  }
  return file;
}

/** A file to write: not a folder, in a folder that exists and that we may write to. */
export function checkOutputFile(file: string, what: string, command?: CommandSpec): string {
  const full = path.resolve(file);
  const dir = path.dirname(full);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(full);
  } catch {
    st = undefined;
  }
  if (st && !st.isFile())
    throw new UsageError(
      `${forTerminal(full)} exists and is not a regular file; cannot write the ${what} there`,
      command,
    );
  try {
    if (!fs.statSync(dir).isDirectory()) throw new Error('not a folder');
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(
      `cannot write the ${what} to ${forTerminal(full)}: ${forTerminal(dir)} is not a writable folder`,
      command,
    );
  }
  return file;
}

const LOOPBACK_V4 =
  /^127\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

/**
 * HOST:PORT of an inspector. HOST must be a loopback IP literal or exactly `localhost`: any
 * other name goes to DNS, and `evil.localhost` may resolve anywhere.
 */
function loopbackAddress(flag: string, v: string, command: CommandSpec): { host: string; port: number } {
  const m = /^(\[::1\]|::1|[0-9.]{7,15}|localhost):([0-9]{1,5})$/.exec(v);
  const host = m?.[1].replace(/^\[|\]$/g, '');
  if (!m || !(host === 'localhost' || host === '::1' || LOOPBACK_V4.test(host!))) {
    throw new UsageError(
      `${flag} takes HOST:PORT with HOST a loopback address (127.0.0.1, [::1] or localhost), not ${show(v)}`,
      command,
    );
  }
  return { host: host!, port: wholeNumber(`the port in ${flag}`, m[2], 1, 65535, command) };
}

const NUMERIC_KINDS: ReadonlySet<string | undefined> = new Set(['int', 'optionalInt', 'id', 'ids']);

export function parseCommandArgs(command: CommandSpec, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(command.options))
    options[name] = { type: spec.kind === 'flag' ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    // `--top -1` would read as a missing value; join it so the range check can answer.
    const numeric = (flag: string): boolean =>
      flag.startsWith('--') && NUMERIC_KINDS.has(command.options[flag.slice(2)]?.kind);
    const joined = argv.map((a, i) => (i > 0 && /^-[0-9.]/.test(a) && numeric(argv[i - 1]) ? `\0${a}` : a));
    const args = joined.flatMap((a, i) =>
      a.startsWith('\0') ? [] : joined[i + 1]?.startsWith('\0') ? [`${a}=${joined[i + 1].slice(1)}`] : [a],
    );
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs quotes the offending argument: it is input, so it goes through the sanitiser.
    throw new UsageError(
      forTerminal(
        (e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n\s*/g, ' '),
      ),
      command,
    );
  }
  const values: Record<string, Value> = {};
  if (parsed.values.help === true) values.help = true;
  for (const [name, spec] of Object.entries(command.options)) {
    const raw = parsed.values[name];
    const flag = `--${name}`;
    if (Array.isArray(raw)) throw new UsageError(`${flag} is given more than once`, command);
    if (spec.kind === 'flag') {
      values[name] = raw === true;
      continue;
    }
    if (typeof raw !== 'string') {
      if (spec.kind === 'int') values[name] = spec.default;
      continue;
    }
    switch (spec.kind) {
      case 'int':
      case 'optionalInt':
        values[name] = wholeNumber(flag, raw, spec.min, spec.max, command);
        break;
      case 'id':
        values[name] = objectId(flag, raw, command);
        break;
      case 'ids':
        values[name] = raw.split(',').map((x) => objectId(flag, x.trim(), command));
        break;
      case 'text':
        values[name] = raw;
        break;
      case 'outFile':
        values[name] = raw;
        break;
      case 'loopbackAddress':
        values[name] = loopbackAddress(flag, raw, command);
        break;
    }
  }
  if (values.help) return new ParsedArgs(values, {});
  const given = parsed.positionals;
  const specs = command.positionals;
  if (given.length > specs.length)
    throw new UsageError(`unexpected argument ${show(given[specs.length])}`, command);
  const positionals: Record<string, string | undefined> = {};
  specs.forEach((p, i) => {
    const v = given[i];
    if (v === undefined || v === '') {
      if (!p.optional) throw new UsageError(`missing ${p.name}`, command);
      return;
    }
    positionals[p.name] =
      p.kind === 'inFile' ? checkInputFile(v, p.name, command) : checkOutputFile(v, p.name, command);
  });
  // Output folders are checked now, before any work starts.
  for (const [name, spec] of Object.entries(command.options)) {
    const v = values[name];
    if (spec.kind === 'outFile' && typeof v === 'string') checkOutputFile(v, `--${name} file`, command);
  }
  return new ParsedArgs(values, positionals);
}

/** `heaplens <command> --help`. */
export function commandHelp(c: CommandSpec): string {
  const lines = [
    `usage: ${c.synopsis.map((s, i) => `${i === 0 ? '' : '       '}heaplens ${c.name} ${s}`).join('\n')}`,
    '',
    c.summary,
  ];
  if (c.details) lines.push('', c.details);
  const opts = Object.entries(c.options);
  if (opts.length > 0) {
    lines.push('', 'options:');
    const cells = opts.map(([name, spec]) => [
      `--${name}${spec.kind === 'flag' ? '' : ` ${spec.arg}`}`,
      describe(spec),
    ]);
    const w = Math.max(...cells.map(([a]) => a.length));
    for (const [a, b] of cells) lines.push(`  ${a.padEnd(w)}  ${b}`);
  }
  lines.push(
    `  ${'--help'.padEnd(Math.max(6, ...opts.map(([n, s]) => n.length + 2 + (s.kind === 'flag' ? 0 : s.arg.length + 1))))}  this text`,
  );
  return lines.join('\n');
}

function describe(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'int':
      return `${spec.help} (${spec.min}–${spec.max}, default ${spec.default})`;
    case 'optionalInt':
      return `${spec.help} (${spec.min}–${spec.max})`;
    default:
      return spec.help;
  }
}
