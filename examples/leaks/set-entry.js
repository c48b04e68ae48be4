// Pattern: Set entry. Uploads in flight are tracked in a Set for the status page; the
// success path deletes them, but the failure path returns early and forgets to.
'use strict';

class UploadTask {
  constructor(fileName, chunks) {
    this.fileName = fileName;
    this.chunks = chunks;
    this.state = 'pending';
  }
}

const activeUploads = new Set();

function startUpload(fileName) {
  const chunks = Array.from({ length: 128 }, (_, k) => k * fileName.length);
  const task = new UploadTask(fileName, chunks);
  activeUploads.add(task);
  return task;
}

function upload(fileName) {
  const task = startUpload(fileName);
  if (fileName.endsWith('.tmp')) {
    task.state = 'rejected';
    return false; // activeUploads.delete(task) was meant to happen here too
  }
  task.state = 'done';
  activeUploads.delete(task);
  return true;
}

let fileNo = 0;

module.exports = {
  action() {
    // 400 uploads, every other one rejected: 200 stay behind per iteration.
    for (let i = 0; i < 400; i++) upload(`upload-${fileNo++}${i % 2 ? '.tmp' : '.csv'}`);
  },
};
