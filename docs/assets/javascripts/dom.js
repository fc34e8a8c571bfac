/* DOM helpers the catalog's scripts share (Browse, Compare): elements built with
 * textContent only, so text from entries always stays text. Loaded before them. */
(function () {
  "use strict";

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined && content !== null) {
      node.textContent = String(content);
    }
    return node;
  }

  /* An openness level as the coloured label the pages use (fragments.badge in Python). */
  function badge(level) {
    return el("span", "aic-badge aic-badge--" + level, level.replace(/-/g, " "));
  }

  window.aicDom = { el: el, badge: badge };
})();
