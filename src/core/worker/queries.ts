// The questions a worker answers about its loaded snapshot, shared by the analysis worker
// and the hunt worker.

import { SnapshotSession } from '../session';
import { QueryMethod } from './protocol';

export function answerQuery(session: SnapshotSession | null, method: QueryMethod, args: unknown[]): unknown {
  if (!session) throw new Error('no snapshot is loaded');
  switch (method) {
    case 'stats': return session.stats();
    case 'summary': return session.summary(args[0] as number | undefined);
    case 'nodeInfo': return session.nodeInfo(args[0] as number);
    case 'retainerGraph': return session.retainerGraph(args[0] as number, (args[1] ?? {}) as object);
  }
}
