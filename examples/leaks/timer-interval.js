// Pattern: active timer. Each device watcher starts a heartbeat interval and the stop
// path never clears it. The timer list keeps the Timeout, the Timeout keeps its callback,
// the callback's closure keeps the watcher. unref() lets the process exit, which made
// the leak invisible in tests: an unref'd timer is still a live timer.
'use strict';

class DeviceWatcher {
  constructor(deviceId) {
    this.deviceId = deviceId;
    this.readings = new Array(512).fill(0);
    this.stopped = false;
  }
}

function watchDevice(deviceId) {
  const watcher = new DeviceWatcher(deviceId);
  setInterval(() => {
    if (!watcher.stopped) watcher.readings.push(Date.now());
  }, 60_000).unref();
  return watcher;
}

function stopWatching(watcher) {
  watcher.stopped = true;
}

let device = 0;

module.exports = {
  action() {
    for (let i = 0; i < 50; i++) stopWatching(watchDevice(device++));
  },
};
