// Site switcher and language menu: navigate or submit on change (forms still work without script).
document.querySelectorAll('select[data-navigate]').forEach(s => s.addEventListener('change', () => { location.href = s.value; }));
document.querySelectorAll('select[data-submit]').forEach(s => s.addEventListener('change', () => s.form.submit()));
document.querySelectorAll('[data-copy]').forEach(b => b.addEventListener('click', () => {
  const source = document.getElementById(b.dataset.copy);
  navigator.clipboard?.writeText(source.value ?? source.textContent);
  b.textContent = b.dataset.copied || b.textContent;
}));
