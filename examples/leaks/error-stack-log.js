// Pattern: a global array of errors. Every failed validation is kept for a diagnostics
// page that was removed long ago; each ValidationError carries its stack and the input.
'use strict';

globalThis.recentErrors = [];

class ValidationError extends Error {
  constructor(field, input) {
    super(`invalid ${field}`);
    this.field = field;
    this.input = input;
  }
}

function validate(input) {
  try {
    if (!input.email.includes('@')) throw new ValidationError('email', input);
  } catch (err) {
    globalThis.recentErrors.push(err);
  }
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 100; i++) validate({ email: `user${n++}`, notes: 'x'.repeat(1024 + (n % 7)) });
  },
};
