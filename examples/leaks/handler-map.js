// Pattern: closures kept in a Map of handlers. Each RPC call registers a reply handler under its
// call id; replies to timed-out calls never come, and the timeout path forgets to delete the
// handler. Each handler's closure holds the call.
'use strict';

class RpcCall {
  constructor(id, args) {
    this.id = id;
    this.args = args;
  }
}

const pendingReplies = new Map();

function call(id) {
  const rpc = new RpcCall(id, Array.from({ length: 24 }, (_, k) => `arg ${k}`));
  pendingReplies.set(id, function onReply(reply) {
    pendingReplies.delete(id);
    return reply === rpc.id;
  });
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 70; i++) call(n++);
  },
};
