(function () {
  if (new URLSearchParams(location.search).get('embed')) document.documentElement.classList.add('embed');
  function plain(box) {
    var c = box.cloneNode(true);
    c.querySelectorAll('.copy-plain, .cite-inline').forEach(function (x) { x.remove(); });
    c.querySelectorAll('tr').forEach(function (tr) { tr.appendChild(document.createTextNode('\n')); });
    c.querySelectorAll('td, th').forEach(function (td) { td.appendChild(document.createTextNode('\t')); });
    return (c.innerText || c.textContent).replace(/\n{3,}/g, '\n\n').trim();
  }
  function copyText(text) {
    window.__lastCopied = text;
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var t = document.createElement('textarea'); t.value = text; document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } catch (e) {} t.remove();
  }
  function compact() {
    return window.innerWidth < 700 || document.documentElement.classList.contains('embed');
  }
  function inline(a, href) {
    var box = a.closest('.answer');
    var d = box.querySelector('.cite-inline');
    if (!d) { d = document.createElement('div'); d.className = 'cite-inline'; box.appendChild(d); }
    fetch(href + '&fragment=1').then(function (r) { return r.text(); }).then(function (h) {
      d.innerHTML = h; var m = d.querySelector('mark.quote'); if (m) m.scrollIntoView({block: 'nearest'});
    });
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('#chat a.cite-ref, #chat a.citation-link, #chat a.copy-plain');
    if (!a) return;
    e.preventDefault(); e.stopPropagation();
    if (a.classList.contains('copy-plain')) { copyText(plain(a.closest('.answer'))); a.textContent = '✓'; return; }
    var href = a.getAttribute('href');
    if (compact()) { inline(a, href); return; }
    var ta = document.querySelector('#cite-target textarea, #cite-target input');
    ta.value = href + '#' + Date.now();
    ta.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(function () {
      document.querySelector('#cite-open').click();
      var p = document.querySelector('#source-panel'); if (p) p.scrollIntoView({block: 'nearest'});
    }, 50);
  }, true);
})();
