// The console works without this script. With it, the notice after an
// action takes the focus, so that a screen reader says it at once.
(function () {
  'use strict';
  var notice = document.getElementById('notice');
  if (notice) {
    notice.focus();
  }
})();
