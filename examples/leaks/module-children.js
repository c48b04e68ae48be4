// Pattern: re-requiring a module per call. To pick up edited templates without a restart,
// the render path deletes the template's entry from require.cache and requires it again.
// The cache entry goes, but Node also records every loaded module in the requiring
// module's `children` array, and each fresh load is a new Module: `module.children` keeps
// every copy, with its exports.
'use strict';

const path = require('node:path');

const TEMPLATE = path.join(__dirname, 'fixtures', 'template.js');

function loadTemplate() {
  delete require.cache[TEMPLATE];
  return require(TEMPLATE);
}

module.exports = {
  action() {
    for (let i = 0; i < 20; i++) loadTemplate().parts.length;
  },
};
