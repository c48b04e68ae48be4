'use strict';
// Loads one pinned version of a real npm package from the folder examples/packages/install.sh
// fills (outside the repo, so the repo never carries third-party code). Each package is
// installed twice under npm aliases, e.g. `debug-leaky` (debug@4.1.1) and `debug-fixed`
// (debug@4.3.4), so a leak and its fix can be run side by side.

const os = require('node:os');
const path = require('node:path');

const DIR = process.env.HEAPLENS_EXAMPLE_PACKAGES || path.join(os.homedir(), '.cache', 'heaplens', 'example-packages');

function load(alias) {
  try {
    return require(path.join(DIR, 'node_modules', alias));
  } catch (err) {
    throw new Error(`${alias} is not installed in ${DIR}: run sh examples/packages/install.sh (${err.message})`);
  }
}

module.exports = { load, DIR };
