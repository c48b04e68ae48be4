// Pattern: class static field. A static field belongs to the class, and the class lives
// as long as its module. The "recent renders" list was added for a debug overlay and has
// no bound.
'use strict';

class RenderedPage {
  constructor(route, html) {
    this.route = route;
    this.html = html;
  }
}

class PageRenderer {
  static recentRenders = [];

  render(route, model) {
    const page = new RenderedPage(route, `<main>${model.join('')}</main>`);
    PageRenderer.recentRenders.push(page);
    return page.html;
  }
}

const renderer = new PageRenderer();
let route = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) {
      const model = Array.from({ length: 100 }, (_, k) => `<p>${(route + k) % 97}</p>`);
      renderer.render(`/page/${route++}`, model);
    }
  },
};
