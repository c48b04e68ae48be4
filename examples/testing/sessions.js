// A session store with a leak and its fix, for heaplens/test's assertNoLeak
// (see sessions.test.mjs beside it).
'use strict';

class Session {
  constructor(user) {
    this.user = user;
    this.started = Date.now();
    this.scratch = new Array(64).fill(user);
  }
}

const audit = [];

/** Leaks: every session is remembered in the audit list, which nothing ever trims. */
async function openSessionLeaky(user = 'ada') {
  const session = new Session(user);
  audit.push({ session, at: Date.now() });
  await Promise.resolve();
  return session.user;
}

const opened = new Map();

/** Fixed: the audit counts sessions per user instead of keeping them. */
async function openSession(user = 'ada') {
  const session = new Session(user);
  opened.set(user, (opened.get(user) ?? 0) + 1);
  await Promise.resolve();
  return session.user;
}

module.exports = { openSession, openSessionLeaky, Session };
