'use strict';
// debug@4.1.1 (leaky) / debug@4.3.4 (control: debug-fixed.js). Every `debug(namespace)`
// was pushed onto the module's `createDebug.instances` array so enable() could reach it, and
// nothing but an undocumented destroy() took it off (debug-js/debug#678): a logger made per
// job is never collected. 4.3 dropped the array.
const { load } = require('./lib/packages');
const debug = load('debug-leaky');

let nextJob = 0;

function runJob() {
  const log = debug(`worker:job:${nextJob++}`);
  log('started');
}

module.exports = {
  action() {
    for (let i = 0; i < 400; i++) runJob();
  },
};
