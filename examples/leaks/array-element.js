// Pattern: array element. An audit log kept in memory "until the next flush", but the
// flush only runs when a remote sink is configured, which it never is in this process.
'use strict';

class AuditEntry {
  constructor(actor, action, before, after) {
    this.actor = actor;
    this.action = action;
    this.before = before;
    this.after = after;
  }
}

const auditLog = [];
const sink = null;

function audit(actor, action, before, after) {
  const entry = new AuditEntry(actor, action, before, after);
  auditLog.push(entry);
  if (sink && auditLog.length >= 100) sink.write(auditLog.splice(0));
}

let version = 0;

function updateSettings(actor) {
  const before = { version, flags: new Array(64).fill(version) };
  version++;
  const after = { version, flags: new Array(64).fill(version) };
  audit(actor, 'settings.update', before, after);
}

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) updateSettings(`user-${i}`);
  },
};
