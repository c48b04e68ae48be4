'use strict';
// graceful-fs@4.2.4, loaded afresh per call as in graceful-fs-leaky.js. 4.1.12 stopped re-wrapping
// fs.close (isaacs/node-graceful-fs#137) and 4.2.x the streams, but every load still replaces
// process.cwd and process.chdir with wrappers that capture the previous ones (polyfills.js):
// two chains of closures, each link keeping its load's copy of polyfills.js and its source.
// No 4.x release is free of it (4.2.9+ also chain process.chdir through its prototype); it is
// what graceful-fs's own avoid-memory-leak test measured (nodejs/node#24381). No fixed twin.
const path = require('node:path');
const { DIR } = require('./lib/packages');

const PKG = path.join(DIR, 'node_modules', 'graceful-fs-4.2');

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
