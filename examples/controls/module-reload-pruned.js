// Control: the module-children leak's fixed twin (must NOT be reported): the fresh load is
// also taken out of this module's `children`, so nothing keeps the old copies.
'use strict';

const path = require('node:path');

const TEMPLATE = path.join(__dirname, '..', 'leaks', 'fixtures', 'page.js');

function loadTemplate() {
  const old = require.cache[TEMPLATE];
  delete require.cache[TEMPLATE];
  if (old) module.children.splice(module.children.indexOf(old), 1);
  return require(TEMPLATE);
}

module.exports = {
  action() {
    for (let i = 0; i < 20; i++) loadTemplate().parts.length;
  },
};
