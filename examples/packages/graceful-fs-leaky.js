'use strict';
// graceful-fs@4.1.11 (leaky; no release is clean: see graceful-fs-polyfills-leaky.js). Every load
// of graceful-fs wrapped Node's fs.close and fs.closeSync again, each wrapper keeping the one
// before it and, through its scope, that load's whole module: a program that loads the
// package afresh (a test runner resetting its module registry between test files, as Jest
// does) keeps every copy (isaacs/node-graceful-fs#102; fs.close fixed by #137 in 4.1.12; no 4.x
// release keeps nothing on repeated loads: 4.1.x and 4.2.0 still re-wrap fs.ReadStream
// and fs.WriteStream through the setters of Node's fs, and all chain process.cwd/chdir).
const path = require('node:path');
const { DIR } = require('./lib/packages');

const PKG = path.join(DIR, 'node_modules', 'graceful-fs-leaky');

/** A fresh copy of the package, as a test runner's per-file module registry loads it. */
function freshGracefulFs() {
  for (const file of Object.keys(require.cache)) if (file.startsWith(PKG + path.sep)) delete require.cache[file];
  const gfs = require(PKG);
  // Node's own record of the load would keep each copy as well (module.children): drop it, so
  // that what stays is what the package itself keeps.
  module.children = module.children.filter((m) => !m.filename.startsWith(PKG + path.sep));
  return gfs;
}

module.exports = {
  action() {
    for (let i = 0; i < 10; i++) freshGracefulFs().existsSync(__filename);
  },
};
