/* Helpers the catalog's scripts share (Browse, Compare): elements built with
 * textContent only, so text from entries always stays text, and the fetch of their
 * data file. Loaded before them. */
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

  /* The JSON at `url`; a failed answer rejects with "<name>: <status>", which the
   * caller shows in its status line. */
  function getJson(url, name) {
    return fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(name + ": " + response.status);
      }
      return response.json();
    });
  }

  window.aicDom = { el: el, badge: badge, getJson: getJson };
})();
