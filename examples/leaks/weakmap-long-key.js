// Pattern: a WeakMap keyed by a long-lived object. Per-app audit entries are kept in a WeakMap
// keyed by the app object, so "they go away with the app"; the app lives as long as the
// process, so its entry's array grows forever (the WeakMap holds the value as long as the key).
'use strict';

class AuditRecord {
  constructor(action) {
    this.action = action;
    this.details = Array.from({ length: 24 }, (_, k) => `${action} detail ${k}`);
  }
}

const auditTrail = new WeakMap();
const app = { name: 'billing' };

function audit(target, action) {
  if (!auditTrail.has(target)) auditTrail.set(target, []);
  auditTrail.get(target).push(new AuditRecord(action));
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) audit(app, `charge-${n++}`);
  },
};
