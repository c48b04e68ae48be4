// HOOK (to be filled in by the owner of the "book story" feature):
// time from starting a book story on a snapshot to its report being ready.
//
// Contract with bench/run.mjs (keep it, the report depends on it):
//   measure(ctx) is called once per snapshot, after the analyzers ran, with
//     ctx = {file, snap: {name, label}, resultsDir, runNode, log}
//   runNode(nodeArgs, {cwd, logBase}) from ../proc.mjs gives wall time, the
//   key/value lines a process prints, and /usr/bin/time -v peak RSS: prefer running
//   the product in a child process through it, like the analyzers are.
//   Return one of:
//     {status: 'ok', ms, rssMb?, note?}        ms = start-to-report wall time
//     {status: 'failed', reason}               shown as "FAILED: reason"
//     {status: 'n/a', note}                    not measurable (yet)
export const id = 'story';
export const title = 'Book story start-to-report';
export const scope = 'snapshot';

export async function measure(ctx) {
  // TODO(story): e.g. run `node dist/cli.js story <file> --report <out>` with
  // ctx.runNode and return {status: 'ok', ms: <its start-to-report ms>}.
  return {status: 'n/a', note: 'hook not implemented yet (bench/lib/hooks/story.mjs)'};
}
