// Pattern: a class's static registry of instances. Every Widget registers itself in
// `Widget.all` from its constructor so a debug panel can list them; dispose() exists but
// the render path never calls it.
'use strict';

class Widget {
  static all = new Set();
  constructor(kind) {
    this.kind = kind;
    this.props = Array.from({ length: 48 }, (_, k) => `${kind}-${k}`);
    Widget.all.add(this);
  }
  dispose() {
    Widget.all.delete(this);
  }
}

function renderPanel(n) {
  const widgets = [];
  for (let i = 0; i < 10; i++) widgets.push(new Widget(`w${n}.${i}`));
  return widgets.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 8; i++) renderPanel(n++);
  },
};
