// A small argument reader: positional files and --name value options, nothing more.

export class Args {
  /** `valueOptions`: the options of this command that take a value (the next argument). */
  constructor(private readonly argv: string[], private readonly valueOptions: ReadonlySet<string> = VALUE_OPTIONS) {}

  /** The i-th positional argument (not an option or an option's value). */
  file(i: number): string {
    const positional: string[] = [];
    for (let j = 0; j < this.argv.length; j++) {
      const a = this.argv[j];
      if (a.startsWith('--')) {
        if (this.valueOptions.has(a)) j++;
        continue;
      }
      positional.push(a);
    }
    const f = positional[i];
    if (!f) throw new UsageError(`missing ${i === 0 ? 'a snapshot file' : 'a second snapshot file'}`);
    return f;
  }

  flag(name: string): boolean {
    return this.argv.includes(name);
  }

  value(name: string): string | undefined {
    const i = this.argv.indexOf(name);
    const v = i >= 0 ? this.argv[i + 1] : undefined;
    return v !== undefined && !v.startsWith('--') ? v : undefined;
  }

  number(name: string, fallback: number): number {
    const v = this.value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`${name} needs a number, not "${v}"`);
    return n;
  }

  list(name: string): string[] {
    const v = this.value(name);
    return v ? v.split(',').filter(Boolean) : [];
  }
}

export class UsageError extends Error {}

const VALUE_OPTIONS: ReadonlySet<string> = new Set(['--id', '--class', '--top', '--paths', '--ignore', '--tsv', '--depth', '--by', '--objects']);
export const FIND_LEAKS_OPTIONS: ReadonlySet<string> = new Set(['--iterations', '--json', '--attach', '--action', '--request']);
