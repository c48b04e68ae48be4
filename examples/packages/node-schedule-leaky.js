'use strict';
// node-schedule@1.0.0 (leaky) / 1.1.0 (control: node-schedule-fixed.js). cancel() set
// `scheduledJobs[name] = null` instead of deleting the key, so the module's `scheduledJobs`
// dictionary grew by one key per named job ever scheduled (node-schedule#235).
const { load } = require('./lib/packages');
const schedule = load('node-schedule-leaky');

let nextOrder = 0;

function scheduleReminder(orderId) {
  return schedule.scheduleJob(`reminder-for-order-${orderId}-sent-to-customer-by-email-and-sms`, new Date(Date.now() + 3_600_000), () => undefined);
}

module.exports = {
  action() {
    for (let i = 0; i < 1000; i++) {
      const job = scheduleReminder(nextOrder++);
      job.cancel();
    }
  },
};
