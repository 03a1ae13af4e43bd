// The web chat works without this script: every answer is a form and a new
// page. With it, answers go by fetch and new messages arrive without a
// reload, through server-sent events (a link worker's message too).
(function () {
  'use strict';
  var body = document.body;
  var log = document.getElementById('log');
  var answer = document.getElementById('answer');
  if (!log || !answer || !window.fetch) return;
  var seq = parseInt(body.getAttribute('data-seq'), 10) || 0;
  var busy = false;
  var stream = null;

  function nonce() {
    var a = new Uint32Array(2);
    window.crypto.getRandomValues(a);
    return a[0].toString(36) + a[1].toString(36);
  }

  // apply puts an update from the server into the page.
  function apply(u, focus) {
    if (u.reset) {
      log.innerHTML = u.lines;
    } else if (u.lines) {
      var box = document.createElement('ol');
      box.innerHTML = u.lines;
      while (box.firstElementChild) {
        var li = box.firstElementChild;
        if (document.getElementById(li.id)) { box.removeChild(li); continue; }
        li.className += ' new';
        log.appendChild(li);
      }
    }
    if (typeof u.seq === 'number' && (u.reset || u.seq > seq)) seq = u.seq;
    if (typeof u.answer === 'string') {
      var typed = answer.querySelector('textarea');
      var draft = typed ? typed.value : '';
      var wasTyping = typed && document.activeElement === typed;
      answer.innerHTML = u.answer;
      if (focus) {
        var first = answer.querySelector('.notice, .choices button, textarea');
        if (first && first.className === 'notice') first.setAttribute('tabindex', '-1');
        if (first) first.focus({ preventScroll: true });
      } else if (draft) {
        var t = answer.querySelector('textarea');
        if (t && !t.value) {
          t.value = draft;
          if (wasTyping) t.focus({ preventScroll: true });
        }
      }
    }
    var menu = document.getElementById('menu');
    if (menu && typeof u.menu === 'string') menu.innerHTML = u.menu;
    if (u.live) listen();
    var last = log.lastElementChild;
    if (last && last.scrollIntoView) last.scrollIntoView({ block: 'nearest' });
  }

  function send(form, submitter) {
    if (busy) return;
    var data = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { data.append(k, v); });
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    data.set('f', nonce());
    data.set('after', String(seq));
    busy = true;
    form.setAttribute('aria-busy', 'true');
    fetch(form.action, {
      method: 'POST', body: data, credentials: 'same-origin',
      headers: { 'X-Signpost': 'fetch', 'Content-Type': 'application/x-www-form-urlencoded' }
    }).then(function (r) {
      var type = r.headers.get('Content-Type') || '';
      if (type.indexOf('application/json') !== 0) { window.location.assign('/chat#answer'); return null; }
      return r.json();
    }).then(function (u) {
      if (u) apply(u, true);
    }).catch(function () {
      // The network failed: fall back to an ordinary form post.
      form.submit();
    }).then(function () {
      busy = false;
      form.removeAttribute('aria-busy');
    });
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var action = form.getAttribute('action');
    if (action !== '/chat' && action !== '/chat/code') return;
    e.preventDefault();
    send(form, e.submitter);
  });

  // Enter sends a message; Shift+Enter starts a new line.
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.target.tagName !== 'TEXTAREA') return;
    e.preventDefault();
    var form = e.target.form;
    if (form && e.target.value.trim() !== '') send(form, null);
  });

  function listen() {
    if (stream || !window.EventSource) return;
    stream = new EventSource('/chat/events?after=' + seq);
    stream.addEventListener('update', function (e) {
      try { apply(JSON.parse(e.data), false); } catch (err) { /* a bad event is skipped */ }
    });
  }
  if (body.getAttribute('data-live') === '1') listen();
})();
