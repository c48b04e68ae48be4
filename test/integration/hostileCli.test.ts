// The real CLI against crafted files and bad arguments: every one ends in a one-line message
// with no raw control byte from the input, a non-zero exit and no hang; the checks run before
// any work starts. The crafted files are generated here from real snapshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { COMMANDS } from '../../src/cli/commands';
import { CLI, REPO, SHAPES_PROGRAM, snapshotOf, tempDir } from '../helpers/snapshots';

function run(...args: string[]): { code: number | null; out: string; err: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, cwd: REPO });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}

/** No byte a terminal would act on: C0 (but newline), DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

test('input bytes in error messages are escaped: a header that would clear the screen, a bad escape, a file name', () => {
  const d = tempDir();
  const real = fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM), 'utf8');
  const header = path.join(d, 'esc-header.heapsnapshot');
  // ESC c resets the terminal (clears the screen); JSON.parse quotes it in its message.
  fs.writeFileSync(header, '{"snapshot":{"meta":\u001bc\u001b%G\u202e x},"nodes":[]}');
  const escape = path.join(d, 'esc-escape.heapsnapshot');
  const at = real.indexOf('"strings":[') + 11;
  fs.writeFileSync(escape, `${real.slice(0, at)}"a\\\u001b[2J\u202e",${real.slice(at)}`);
  const named = path.join(d, 'missing\u001b[2J\u202egpj.exe');
  const cases = [
    [header, /not valid JSON.*\\u001b/, 1],
    [escape, /invalid escape "\\\\u001b"/, 1],
    [named, /\\u001b\[2J\\u202egpj\.exe.*no such file/, 2],
  ] as const;
  for (const [file, pattern, code] of cases) {
    const r = run('summary', file);
    assert.equal(r.code, code, r.err);
    assert.match(r.err, pattern);
    assert.doesNotMatch(r.err, RAW_CONTROL, JSON.stringify(r.err));
    assert.equal(r.err.trim().split('\n')[0].includes('heaplens'), true);
    if (code === 1) assert.equal(r.err.trim().split('\n').length, 1, 'one line');
  }
});

test('a BOM, a gzip or zip file and a text file say what they are', () => {
  const d = tempDir();
  const real = fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM));
  const cases: [string, Buffer, RegExp][] = [
    ['bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), real]), /UTF-8 byte-order mark/],
    ['utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), real]), /UTF-16 byte-order mark/],
    ['gzip', zlib.gzipSync(real), /gzip-compressed; decompress it first/],
    ['zip', Buffer.from('PK\u0003\u0004rest'), /zip archive/],
    ['text', Buffer.from('hello'), /starts with "h"/],
  ];
  for (const [name, bytes, pattern] of cases) {
    const file = path.join(d, `${name}.heapsnapshot`);
    fs.writeFileSync(file, bytes);
    const r = run('summary', file);
    assert.equal(r.code, 1, `${name}: ${r.err}`);
    assert.match(r.err, pattern, name);
    assert.match(r.err, /\[not-a-snapshot\]/);
  }
});

test('numbers, ids, files and hosts are checked before any work, with the range in the message', () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const d = tempDir();
  const fifo = path.join(d, 'pipe.heapsnapshot');
  execFileSync('mkfifo', [fifo]);
  const cases: [string[], RegExp][] = [
    [
      ['retainers', file, '--class', 'Shelf', '--paths', '0'],
      /--paths takes a whole number from 1 to 1000, not "0"/,
    ],
    [
      ['retainers', file, '--class', 'Shelf', '--paths', '-1'],
      /--paths takes a whole number from 1 to 1000, not "-1"/,
    ],
    [['summary', file, '--top', '-1'], /--top takes a whole number from 1/],
    [['summary', file, '--top', '1.5'], /not "1.5"/],
    [['summary', file, '--top', '0'], /not "0"/],
    [['summary', file, '--top', '1e3'], /not "1e3"/],
    [['retainers', file, '--id', '0x1785'], /--id takes an object id in decimal digits/],
    [['retainers', file, '--id', ''], /--id takes an object id in decimal digits/],
    [['retainers', file, '--ignore', '1,0x2'], /--ignore takes an object id/],
    [['retainers', file], /exactly one of --id N .* or --class NAME/],
    [['summary', fifo], /is a FIFO; the snapshot file must be a regular file/],
    [['summary', d], /is a folder/],
    [['summary', path.join(d, 'missing')], /no such file/],
    [['summary', file, '--bogus'], /Unknown option '--bogus'/],
    [['summary', file, 'extra'], /unexpected argument "extra"/],
    [['nodes', file, path.join(d, 'no', 'such', 'out.tsv'), '--tsv'], /not a writable folder/],
    [
      ['find-leaks', path.join(REPO, 'examples/books/scenario.js'), '--json', '/missing/dir/r.json'],
      /cannot write the --json file to \/missing\/dir\/r\.json/,
    ],
    [
      ['find-leaks', path.join(REPO, 'examples/books/scenario.js'), '--action-timeout', '0'],
      /--action-timeout takes a whole number from 1/,
    ],
    [
      ['find-leaks', '--attach', 'evil.localhost:9333', '--action', '1'],
      /loopback address .* not "evil\.localhost:9333"/,
    ],
    [
      ['find-leaks', '--attach', '127.0.0.1:70000', '--action', '1'],
      /the port in --attach takes a whole number from 1 to 65535/,
    ],
    [['find-leaks', '--attach', '127.0.0.1:9229'], /exactly one of --action/],
  ];
  for (const [args, pattern] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern, args.join(' '));
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    assert.ok(r.ms < 10_000, `${args.join(' ')}: refused at once (${r.ms} ms)`);
  }
});

test('--request to another host is refused for what it is, not as an inspector port', async () => {
  const r = run('find-leaks', '--attach', '127.0.0.1:1', '--request', 'http://192.0.2.1/');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /HTTP unit of work .*only sends its requests to this machine/);
  assert.doesNotMatch(r.err, /inspector port/);
});

test('--help for every command in the table, and JSON without nulls', () => {
  for (const c of COMMANDS) {
    const r = run(c.name, '--help');
    assert.equal(r.code, 0, `${c.name}: ${r.err}`);
    assert.match(r.out, new RegExp(`^usage: heaplens ${c.name} `));
    for (const name of Object.keys(c.options))
      assert.match(r.out, new RegExp(`--${name}\\b`), `${c.name} --help names --${name}`);
  }
  const json = JSON.parse(run('summary', snapshotOf('shapes', SHAPES_PROGRAM), '--json', '--top', '500').out);
  for (const row of json.classes) assert.equal(typeof row.distance, 'number', JSON.stringify(row));
  const paths = JSON.parse(
    run('retainers', snapshotOf('shapes', SHAPES_PROGRAM), '--class', 'Shelf', '--paths', '1', '--json').out,
  );
  assert.equal(paths.paths.length, 1);
});

test('diff of snapshots of two different processes warns; of one process it does not', () => {
  const d = tempDir();
  const write = (name: string, body: string): string => {
    const file = path.join(d, `${name}.heapsnapshot`);
    execFileSync(
      process.execPath,
      ['-e', `${body}; require('v8').writeHeapSnapshot(${JSON.stringify(file)})`],
      { timeout: 60_000 },
    );
    return file;
  };
  const a = write('proc-a', 'globalThis.keep = Array.from({ length: 3000 }, (_, i) => ({ i }))');
  const b = write(
    'proc-b',
    'globalThis.other = Array.from({ length: 3000 }, (_, i) => [String(i)]); new Map([[1, 2]])',
  );
  const other = run('diff', a, b);
  assert.equal(other.code, 0, other.err);
  assert.match(other.err, /warning: .*two different processes/);
  assert.match(JSON.parse(run('diff', a, b, '--json').out).warning, /two different processes/);
  const same = run('diff', a, a);
  assert.equal(same.code, 0, same.err);
  assert.doesNotMatch(same.err, /warning/);
});
