// Pattern: closure context variable. The recorder's buffer is a variable of the factory
// function, captured by the returned closure: it is not reachable from any object
// property, only from the closure's context, which lives as long as `recordFrame` does
// (forever: it is module state).
'use strict';

class TraceFrame {
  constructor(name, samples) {
    this.name = name;
    this.samples = samples;
  }
}

function createRecorder() {
  const frames = [];
  return function record(name, samples) {
    frames.push(new TraceFrame(name, samples));
    return frames.length;
  };
}

const recordFrame = createRecorder();

function profileStep(step) {
  const samples = Array.from({ length: 128 }, (_, k) => step + k);
  recordFrame(`step-${step}`, samples);
}

let step = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) profileStep(step++);
  },
};
