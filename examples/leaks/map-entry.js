// Pattern: Map entry. Sessions are put into a module-level Map on login; the logout path
// that deletes them exists, but expired sessions never log out, so their entries stay.
'use strict';

const crypto = require('node:crypto');

class SessionRecord {
  constructor(userId, token) {
    this.userId = userId;
    this.token = token;
    this.expiresAt = Date.now() + 30 * 60 * 1000;
  }
}

const sessions = new Map();

function openSession(userId) {
  const token = crypto.randomBytes(512).toString('hex');
  const session = new SessionRecord(userId, token);
  sessions.set(token, session);
  return session;
}

function closeSession(token) {
  sessions.delete(token);
}

let nextUser = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) {
      const session = openSession(nextUser++);
      // Only explicit logouts clean up; here nobody logs out before the session expires.
      if (session.expiresAt < Date.now()) closeSession(session.token);
    }
  },
};
