// A line chart as SVG, from the bench's own numbers: time against the work (segments, gigabytes), one line per
// command, so that a reader sees which grow alike and which do not. No dependency: a few dozen elements.

const COLORS = ['#444444', '#999999', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Round tick values covering [0, max]. */
function ticks(max) {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = 0; v <= max * 1.0001; v += step) out.push(v);
  return out;
}

/** Powers of ten around [min, max], for a log axis. */
function powers(min, max) {
  const out = [];
  for (let v = 10 ** Math.floor(Math.log10(min)); v <= max * 10; v *= 10) {
    out.push(v);
    if (v >= max) break;
  }
  return out;
}

const esc = (s) => String(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Series marked reference are drawn dashed; log: true draws the y axis in powers of ten. */
export function svgPlot({ title, x: xLabel, y: yLabel, series, log = false }, caption) {
  const W = 720;
  const H = 420;
  const L = 70;
  const R = 230;
  const T = 40;
  const B = 60;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xt = ticks(Math.max(...xs));
  const yt = log ? powers(Math.min(...ys), Math.max(...ys)) : ticks(Math.max(...ys) * 1.05);
  const xMax = xt[xt.length - 1];
  const yMax = yt[yt.length - 1];
  const px = (v) => L + ((W - L - R) * v) / xMax;
  const py = log
    ? (v) => H - B - ((H - T - B) * (Math.log10(v) - Math.log10(yt[0]))) / (Math.log10(yMax) - Math.log10(yt[0]))
    : (v) => H - B - ((H - T - B) * v) / yMax;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const v of yt) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${py(v)}" y2="${py(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${L - 6}" y="${py(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (const v of xt) {
    out.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${H - B}" y2="${H - B + 4}" stroke="#333"/>`);
    out.push(`<text x="${px(v)}" y="${H - B + 18}" text-anchor="middle">${v}</text>`);
  }
  out.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>`, `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 22}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text x="18" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(T + H - B) / 2})">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const dash = s.reference ? ' stroke-dasharray="5 4"' : '';
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${s.points.map(([a, b]) => `${px(a).toFixed(1)},${py(b).toFixed(1)}`).join(' ')}"/>`);
    for (const [a, b] of s.points) out.push(`<circle cx="${px(a).toFixed(1)}" cy="${py(b).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = T + 10 + i * 20;
    out.push(`<line x1="${W - R + 20}" x2="${W - R + 44}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${W - R + 50}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  if (caption) out.push(`<text x="${L}" y="${H - 4}" font-size="10" fill="#666">${esc(caption)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
