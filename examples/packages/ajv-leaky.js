'use strict';
// ajv@8 (leaky) / ajv@6 (control: ajv-fixed.js, same code). Since ajv 7 the compiled-schema cache is
// keyed by the schema *object*, no longer by its serialization (ajv-validator/ajv#1413,
// #2134): a handler that builds its schema literal per request and compiles it gets a
// fresh SchemaEnv, kept forever in the Ajv instance's `_cache` Map. ajv@6 finds the same
// serialized schema in its cache and compiles once.
const { load } = require('./lib/packages');
const Ajv = load('ajv-leaky');

const ajv = new Ajv();

function validateOrder(order) {
  const schema = { type: 'object', properties: { id: { type: 'integer' }, sku: { type: 'string' } }, required: ['id'] };
  const validate = ajv.compile(schema);
  return validate(order);
}

module.exports = {
  action() {
    for (let i = 0; i < 20; i++) validateOrder({ id: i, sku: `sku-${i}` });
  },
};
