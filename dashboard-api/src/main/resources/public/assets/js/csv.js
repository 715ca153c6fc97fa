// CSV files of what is on screen, built from the API's values as sent (money as exact decimals).

function cell(value) {
  if (value === null || value === undefined) {
    return '';
  }
  const s = String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text: a header of the columns' names, then one line per row. */
export function toCsv(columns, rows) {
  const lines = [columns.map((c) => cell(c.name)).join(',')];
  for (const row of rows) {
    lines.push(columns.map((c) => cell(typeof c.value === 'function' ? c.value(row) : row[c.name])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves a Blob or text as a file, through a temporary link. */
export function save(filename, data, type = 'text/csv;charset=utf-8') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves rows as CSV: save('spend-by-model-7d.csv', columns, rows). */
export function saveCsv(filename, columns, rows) {
  save(filename, toCsv(columns, rows));
}
