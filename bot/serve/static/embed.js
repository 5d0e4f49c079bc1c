(function () {
  var s = document.currentScript, base = s.src.replace(/\/embed\.js.*$/, '');
  var q = new URLSearchParams({embed: '1'});
  ['lang', 'year', 'body'].forEach(function (k) { var v = s.getAttribute('data-' + k); if (v) q.set(k, v); });
  var f = document.createElement('iframe');
  f.src = base + '/?' + q.toString(); f.title = '政府信息公开年报问答 · Disclosure report QA';
  f.style.cssText = s.getAttribute('data-style') ||
    ('width:100%;max-width:480px;height:' + (s.getAttribute('data-height') || '640px') +
     ';border:1px solid #ccc;border-radius:8px');
  s.parentNode.insertBefore(f, s.nextSibling);
})();
