// The browser half of dlcourse.widgets.live.LiveFigure: draws a "scene" on a <canvas>.
//
// The kernel sends the whole scene (panels, axes, marks; arrays as binary buffers) on every
// change; this module redraws it in one animation frame. Nothing here computes course content:
// every number comes from a pure, tested Python function. The scene format is documented in
// dlcourse/widgets/live.py; dlcourse.widgets.live.render_png draws the same scene with
// matplotlib for notebooks opened without a kernel.

const DTYPES = { float32: Float32Array, float64: Float64Array, uint8: Uint8Array,
                 int32: Int32Array };

// An array of the scene: a JSON list, or {dtype, shape, buffer} with a binary buffer.
function arr(v) {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return v;
  if (typeof v === "object" && v.buffer !== undefined) {
    const T = DTYPES[v.dtype] || Float32Array;
    const b = v.buffer;
    const raw = b instanceof DataView ? b : (b instanceof ArrayBuffer ? new DataView(b) : b);
    return new T(raw.buffer, raw.byteOffset, raw.byteLength / T.BYTES_PER_ELEMENT);
  }
  return [v];
}

function num(v, fallback) { return (v === null || v === undefined) ? fallback : v; }

function fmt(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a)), m = v / Math.pow(10, e);
    const ms = Math.abs(Math.abs(m) - 1) < 1e-9 ? (m < 0 ? "−" : "") : (+m.toPrecision(3)) + "×";
    return `${ms}10${sup(e)}`;
  }
  return String(+v.toPrecision(6)).replace("-", "−");
}

function sup(e) {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return (e < 0 ? "⁻" : "") + String(Math.abs(e)).split("").map(d => digits[+d]).join("");
}

function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0) || !isFinite(span)) return [lo];
  const raw = span / Math.max(count, 1);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) || 10 * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : +t.toPrecision(12));
  }
  return ticks;
}

function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const every = Math.max(1, Math.ceil((b - a) / 7));
  const ticks = [];
  for (let e = a; e <= b; e += every) {
    const t = Math.pow(10, e);
    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
  }
  return ticks;
}

const DASHES = { dashed: [6, 4], dotted: [1.5, 3], dashdot: [6, 3, 1.5, 3] };

function setDash(ctx, dash, width) {
  const d = DASHES[dash];
  ctx.setLineDash(d ? d.map(x => x * Math.max(1, width * 0.8)) : []);
}

function marker(ctx, shape, x, y, size) {
  const r = size / 2;
  ctx.beginPath();
  switch (shape) {
    case "s": ctx.rect(x - r, y - r, 2 * r, 2 * r); break;
    case "^": ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.8);
      ctx.lineTo(x - r, y + r * 0.8); ctx.closePath(); break;
    case "v": ctx.moveTo(x, y + r); ctx.lineTo(x + r, y - r * 0.8);
      ctx.lineTo(x - r, y - r * 0.8); ctx.closePath(); break;
    case "D": ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y); ctx.closePath(); break;
    case "*": for (let i = 0; i < 10; i++) {
        const rr = i % 2 ? r * 0.45 : r, a = -Math.PI / 2 + i * Math.PI / 5;
        if (i) ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
        else ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
      } ctx.closePath(); break;
    case "x": ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
      ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r); break;
    case "+": ctx.moveTo(x - r, y); ctx.lineTo(x + r, y);
      ctx.moveTo(x, y - r); ctx.lineTo(x, y + r); break;
    default: ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

class Panel {
  constructor(spec, W, H) {
    this.spec = spec;
    const [l, t, w, h] = spec.box;
    this.x0 = l * W; this.y0 = t * H; this.w = w * W; this.h = h * H;
    this.xlog = spec.xscale === "log"; this.ylog = spec.yscale === "log";
    const xl = spec.xlim || [0, 1], yl = spec.ylim || [0, 1];
    this.xl = this.xlog ? xl.map(Math.log10) : xl;
    this.yl = this.ylog ? yl.map(Math.log10) : yl;
    if (spec.aspect === "equal") {
      const sx = this.w / (this.xl[1] - this.xl[0]), sy = this.h / (this.yl[1] - this.yl[0]);
      const s = Math.min(sx, sy);
      const nw = s * (this.xl[1] - this.xl[0]), nh = s * (this.yl[1] - this.yl[0]);
      this.x0 += (this.w - nw) / 2; this.y0 += (this.h - nh) / 2; this.w = nw; this.h = nh;
    }
  }
  X(v) { const u = this.xlog ? Math.log10(v) : v;
    return this.x0 + (u - this.xl[0]) / (this.xl[1] - this.xl[0]) * this.w; }
  Y(v) { const u = this.ylog ? Math.log10(v) : v;
    return this.y0 + this.h - (u - this.yl[0]) / (this.yl[1] - this.yl[0]) * this.h; }
}

function drawLine(ctx, p, m) {
  const x = arr(m.x), y = arr(m.y), n = Math.min(x.length, y.length);
  const width = num(m.width, 1.5);
  ctx.strokeStyle = m.color || "#0072B2"; ctx.lineWidth = width; ctx.globalAlpha = num(m.alpha, 1);
  if (m.dash !== "none") {
    setDash(ctx, m.dash, width);
    ctx.beginPath();
    let pen = false, lastY = 0;
    for (let i = 0; i < n; i++) {
      const X = p.X(x[i]), Y = p.Y(y[i]);
      if (!isFinite(X) || !isFinite(Y)) { pen = false; continue; }
      if (!pen) { ctx.moveTo(X, Y); pen = true; }
      else if (m.step === "mid") {
        const xm = (p.X(x[i - 1]) + X) / 2;
        ctx.lineTo(xm, lastY); ctx.lineTo(xm, Y); ctx.lineTo(X, Y);
      } else ctx.lineTo(X, Y);
      lastY = Y;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (m.marker) {
    ctx.fillStyle = m.markerfacecolor || m.color || "#0072B2";
    const size = num(m.markersize, 4);
    for (let i = 0; i < n; i++) {
      const X = p.X(x[i]), Y = p.Y(y[i]);
      if (!isFinite(X) || !isFinite(Y)) continue;
      marker(ctx, m.marker, X, Y, size);
      ctx.fill();
      if (m.markeredgecolor) { ctx.strokeStyle = m.markeredgecolor; ctx.lineWidth = 1; ctx.stroke(); }
    }
  }
  ctx.globalAlpha = 1;
}

function drawScatter(ctx, p, m) {
  const x = arr(m.x), y = arr(m.y), n = Math.min(x.length, y.length);
  const colors = m.colors, sizes = arr(m.sizes);
  ctx.globalAlpha = num(m.alpha, 1);
  const size = num(m.size, 6), edge = m.edgecolor, shape = m.marker || "o";
  const open = shape === "x" || shape === "+" || m.fill === false;
  for (let i = 0; i < n; i++) {
    const X = p.X(x[i]), Y = p.Y(y[i]);
    if (!isFinite(X) || !isFinite(Y)) continue;
    const c = colors ? colors[i] : (m.color || "#0072B2");
    marker(ctx, shape, X, Y, sizes ? sizes[i] : size);
    if (open) { ctx.strokeStyle = shape === "x" || shape === "+" ? c : (edge || c);
      ctx.lineWidth = num(m.edgewidth, 1.5); ctx.stroke(); continue; }
    ctx.fillStyle = c; ctx.fill();
    if (edge) { ctx.strokeStyle = edge; ctx.lineWidth = num(m.edgewidth, 0.6); ctx.stroke(); }
  }
  ctx.globalAlpha = 1;
}

function drawImage(ctx, p, m) {
  const [h, w] = m.shape;
  const vals = arr(m.values), rgba = arr(m.rgba), lut = arr(m.lut);
  const [xa, xb, ya, yb] = m.extent;
  const X0 = p.X(xa), X1 = p.X(xb), Y0 = p.Y(yb), Y1 = p.Y(ya);
  const upward = Y1 > Y0;              // y grows upwards on the canvas: row 0 at the bottom
  const off = document.createElement("canvas");
  off.width = w; off.height = h;
  const octx = off.getContext("2d");
  const img = octx.createImageData(w, h);
  for (let r = 0; r < h; r++) {
    const src = (upward ? h - 1 - r : r) * w;   // row 0 of the data is drawn at y = extent[2]
    for (let c = 0; c < w; c++) {
      const o = 4 * (r * w + c);
      if (rgba) { const s = 4 * (src + c);
        img.data[o] = rgba[s]; img.data[o + 1] = rgba[s + 1]; img.data[o + 2] = rgba[s + 2];
        img.data[o + 3] = rgba[s + 3];
      } else { const v = vals[src + c], s = 3 * v;
        img.data[o] = lut[s]; img.data[o + 1] = lut[s + 1]; img.data[o + 2] = lut[s + 2];
        img.data[o + 3] = 255;
      }
    }
  }
  octx.putImageData(img, 0, 0);
  ctx.save();
  ctx.globalAlpha = num(m.alpha, 1);
  ctx.imageSmoothingEnabled = !!m.smooth;
  ctx.drawImage(off, Math.min(X0, X1), Math.min(Y0, Y1), Math.abs(X1 - X0), Math.abs(Y1 - Y0));
  ctx.restore();
}

function drawFill(ctx, p, m) {
  const x = arr(m.x), n = x.length;
  const y1 = typeof m.y1 === "number" ? null : arr(m.y1);
  const y2 = typeof m.y2 === "number" ? null : arr(m.y2);
  const at = (a, s, i) => (a ? a[i] : s);
  ctx.fillStyle = m.color || "#0072B2"; ctx.globalAlpha = num(m.alpha, 0.3);
  ctx.beginPath();
  const pts = [];
  for (let i = 0; i < n; i++) {
    if (m.step === "mid") {
      const left = i > 0 ? (x[i - 1] + x[i]) / 2 : x[i] - (x[1] - x[0]) / 2;
      const right = i < n - 1 ? (x[i] + x[i + 1]) / 2 : x[i] + (x[i] - x[i - 1]) / 2;
      pts.push([left, i], [right, i]);
    } else pts.push([x[i], i]);
  }
  pts.forEach(([xv, i], k) => { const X = p.X(xv), Y = p.Y(at(y2, m.y2, i));
    if (k) ctx.lineTo(X, Y); else ctx.moveTo(X, Y); });
  for (let k = pts.length - 1; k >= 0; k--) { const [xv, i] = pts[k];
    ctx.lineTo(p.X(xv), p.Y(at(y1, m.y1, i))); }
  ctx.closePath(); ctx.fill(); ctx.globalAlpha = 1;
}

function drawBars(ctx, p, m) {
  const x = arr(m.x), h = arr(m.height), colors = m.colors;
  const bottom = typeof m.bottom === "number" || m.bottom === undefined ? null : arr(m.bottom);
  const width = num(m.width, 0.8);
  ctx.globalAlpha = num(m.alpha, 1);
  for (let i = 0; i < x.length; i++) {
    const b = bottom ? bottom[i] : num(m.bottom, 0);
    const X0 = p.X(x[i] - width / 2), X1 = p.X(x[i] + width / 2);
    const Y0 = p.Y(b), Y1 = p.Y(b + h[i]);
    ctx.fillStyle = colors ? colors[i] : (m.color || "#0072B2");
    ctx.fillRect(Math.min(X0, X1), Math.min(Y0, Y1), Math.abs(X1 - X0), Math.abs(Y1 - Y0));
    if (m.edgecolor) { ctx.strokeStyle = m.edgecolor; ctx.lineWidth = 0.8;
      ctx.strokeRect(Math.min(X0, X1), Math.min(Y0, Y1), Math.abs(X1 - X0), Math.abs(Y1 - Y0)); }
  }
  ctx.globalAlpha = 1;
}

function drawText(ctx, p, m) {
  const size = num(m.size, 11);
  ctx.font = `${m.weight === "bold" ? "bold " : ""}${size}px sans-serif`;
  const X = m.coords === "axes" ? p.x0 + m.x * p.w : p.X(m.x);
  const Y = m.coords === "axes" ? p.y0 + (1 - m.y) * p.h : p.Y(m.y);
  ctx.textAlign = { left: "left", right: "right" }[m.ha] || "center";
  ctx.textBaseline = { top: "top", bottom: "bottom" }[m.va] || "middle";
  const lines = String(m.text).split("\n");
  const lh = size * 1.2, top = Y - (lines.length - 1) * lh / (m.va === "top" ? 1e9 : 2);
  if (m.bbox) {
    const wd = Math.max(...lines.map(l => ctx.measureText(l).width)) + 8;
    const ht = lines.length * lh + 4;
    const bx = ctx.textAlign === "left" ? X - 4 : ctx.textAlign === "right" ? X - wd + 4 : X - wd / 2;
    const by = ctx.textBaseline === "top" ? Y - 2 : ctx.textBaseline === "bottom" ? Y - ht + 2 : top - lh / 2 - 2;
    ctx.fillStyle = m.bbox; ctx.strokeStyle = "#666"; ctx.lineWidth = 0.8;
    ctx.fillRect(bx, by, wd, ht); ctx.strokeRect(bx, by, wd, ht);
  }
  ctx.fillStyle = m.color || "#000";
  lines.forEach((l, i) => ctx.fillText(l, X, top + i * lh));
}

function drawMark(ctx, p, m) {
  switch (m.kind) {
    case "line": return drawLine(ctx, p, m);
    case "scatter": return drawScatter(ctx, p, m);
    case "image": return drawImage(ctx, p, m);
    case "fill": return drawFill(ctx, p, m);
    case "bars": return drawBars(ctx, p, m);
    case "text": return drawText(ctx, p, m);
    case "hline": case "vline": {
      ctx.strokeStyle = m.color || "#000"; ctx.lineWidth = num(m.width, 1);
      ctx.globalAlpha = num(m.alpha, 1); setDash(ctx, m.dash, ctx.lineWidth);
      ctx.beginPath();
      if (m.kind === "hline") { const Y = p.Y(m.y); ctx.moveTo(p.x0, Y); ctx.lineTo(p.x0 + p.w, Y); }
      else { const X = p.X(m.x); ctx.moveTo(X, p.y0); ctx.lineTo(X, p.y0 + p.h); }
      ctx.stroke(); ctx.setLineDash([]); ctx.globalAlpha = 1; return;
    }
    case "hspan": case "vspan": {
      ctx.fillStyle = m.color || "#D55E00"; ctx.globalAlpha = num(m.alpha, 0.15);
      if (m.kind === "vspan") { const a = p.X(m.lo), b = p.X(m.hi);
        ctx.fillRect(Math.min(a, b), p.y0, Math.abs(b - a), p.h); }
      else { const a = p.Y(m.lo), b = p.Y(m.hi);
        ctx.fillRect(p.x0, Math.min(a, b), p.w, Math.abs(b - a)); }
      ctx.globalAlpha = 1; return;
    }
    case "rect": case "circle": {
      ctx.beginPath();
      if (m.kind === "rect") { const X0 = p.X(m.x), X1 = p.X(m.x + m.w), Y0 = p.Y(m.y), Y1 = p.Y(m.y + m.h);
        ctx.rect(Math.min(X0, X1), Math.min(Y0, Y1), Math.abs(X1 - X0), Math.abs(Y1 - Y0)); }
      else { const rx = Math.abs(p.X(m.x + m.r) - p.X(m.x)), ry = Math.abs(p.Y(m.y + m.r) - p.Y(m.y));
        ctx.ellipse(p.X(m.x), p.Y(m.y), rx, ry, 0, 0, 2 * Math.PI); }
      ctx.globalAlpha = num(m.alpha, 1);
      if (m.facecolor) { ctx.fillStyle = m.facecolor; ctx.fill(); }
      if (m.edgecolor) { ctx.strokeStyle = m.edgecolor; ctx.lineWidth = num(m.width, 1);
        setDash(ctx, m.dash, ctx.lineWidth); ctx.stroke(); ctx.setLineDash([]); }
      ctx.globalAlpha = 1; return;
    }
  }
}

function drawAxes(ctx, p) {
  const s = p.spec;
  ctx.font = "10px sans-serif"; ctx.fillStyle = "#222"; ctx.strokeStyle = "#222"; ctx.lineWidth = 0.8;
  const xt = s.xticks || (p.xlog ? logTicks(...s.xlim) : niceTicks(s.xlim[0], s.xlim[1], Math.max(2, Math.round(p.w / 80))));
  const yt = s.yticks || (p.ylog ? logTicks(...s.ylim) : niceTicks(s.ylim[0], s.ylim[1], Math.max(2, Math.round(p.h / 45))));
  const inside = (v, lim) => v >= Math.min(...lim) - 1e-9 * Math.abs(lim[1] - lim[0]) && v <= Math.max(...lim) + 1e-9 * Math.abs(lim[1] - lim[0]);
  if (s.grid) {
    ctx.strokeStyle = "#ddd";
    xt.forEach(t => { if (inside(t, s.xlim)) { const X = p.X(t); ctx.beginPath(); ctx.moveTo(X, p.y0); ctx.lineTo(X, p.y0 + p.h); ctx.stroke(); } });
    yt.forEach(t => { if (inside(t, s.ylim)) { const Y = p.Y(t); ctx.beginPath(); ctx.moveTo(p.x0, Y); ctx.lineTo(p.x0 + p.w, Y); ctx.stroke(); } });
    ctx.strokeStyle = "#222";
  }
  ctx.strokeRect(p.x0, p.y0, p.w, p.h);
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  xt.forEach((t, i) => { if (!inside(t, s.xlim)) return; const X = p.X(t);
    ctx.beginPath(); ctx.moveTo(X, p.y0 + p.h); ctx.lineTo(X, p.y0 + p.h + 4); ctx.stroke();
    ctx.fillText(s.xticklabels ? s.xticklabels[i] : fmt(t), X, p.y0 + p.h + 6); });
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  yt.forEach((t, i) => { if (!inside(t, s.ylim)) return; const Y = p.Y(t);
    ctx.beginPath(); ctx.moveTo(p.x0, Y); ctx.lineTo(p.x0 - 4, Y); ctx.stroke();
    ctx.fillText(s.yticklabels ? s.yticklabels[i] : fmt(t), p.x0 - 6, Y); });
  ctx.font = "11px sans-serif"; ctx.textAlign = "center";
  if (s.xlabel) { ctx.textBaseline = "top"; ctx.fillText(s.xlabel, p.x0 + p.w / 2, p.y0 + p.h + 20); }
  if (s.ylabel) { ctx.save(); ctx.translate(p.x0 - 42, p.y0 + p.h / 2); ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "bottom"; ctx.fillText(s.ylabel, 0, 0); ctx.restore(); }
}

function drawLegend(ctx, p) {
  const s = p.spec, items = s.marks.filter(m => m.label);
  if (!s.legend || !items.length) return;
  ctx.font = "10px sans-serif"; ctx.textBaseline = "middle"; ctx.textAlign = "left";
  const lh = 15, sw = 22;
  const widths = items.map(m => ctx.measureText(m.label).width + sw + 14);
  let boxes;
  if (s.legend === "below") {
    const cols = num(s.legend_cols, 2), colw = Math.max(...widths);
    const rows = Math.ceil(items.length / cols), left = p.x0 + (p.w - cols * colw) / 2;
    const top = p.y0 + p.h + (s.xlabel ? 38 : 24);
    boxes = items.map((m, i) => [left + (i % cols) * colw, top + Math.floor(i / cols) * lh]);
  } else {
    const w = Math.max(...widths) + 6, h = items.length * lh + 6;
    const left = s.legend.includes("left") ? p.x0 + 6 : p.x0 + p.w - w - 6;
    const top = s.legend.includes("lower") ? p.y0 + p.h - h - 6 : p.y0 + 6;
    ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.strokeStyle = "#ccc"; ctx.lineWidth = 0.8;
    ctx.fillRect(left, top, w, h); ctx.strokeRect(left, top, w, h);
    boxes = items.map((m, i) => [left + 5, top + 3 + i * lh]);
  }
  items.forEach((m, i) => {
    const [x, y] = boxes[i], cy = y + lh / 2;
    const color = m.color || m.edgecolor || (m.colors ? m.colors[0] : "#0072B2");
    ctx.globalAlpha = Math.max(0.5, num(m.alpha, 1));
    if (m.kind === "line" || m.kind === "hline" || m.kind === "vline") {
      ctx.strokeStyle = color; ctx.lineWidth = num(m.width, 1.5); setDash(ctx, m.dash, ctx.lineWidth);
      if (m.dash !== "none") { ctx.beginPath(); ctx.moveTo(x, cy); ctx.lineTo(x + sw, cy); ctx.stroke(); }
      ctx.setLineDash([]);
      if (m.marker) { ctx.fillStyle = color; marker(ctx, m.marker, x + sw / 2, cy, num(m.markersize, 4)); ctx.fill(); }
    } else if (m.kind === "scatter") {
      marker(ctx, m.marker || "o", x + sw / 2, cy, Math.min(num(m.size, 6), 11));
      if (m.fill === false || m.marker === "x" || m.marker === "+") { ctx.strokeStyle = m.edgecolor || color; ctx.lineWidth = 1.5; ctx.stroke(); }
      else { ctx.fillStyle = color; ctx.fill(); if (m.edgecolor) { ctx.strokeStyle = m.edgecolor; ctx.lineWidth = 0.6; ctx.stroke(); } }
    } else if (m.kind === "circle" || m.kind === "rect") {
      ctx.strokeStyle = m.edgecolor || color; ctx.lineWidth = 1.2; setDash(ctx, m.dash, 1.2);
      ctx.strokeRect(x + 4, cy - 5, sw - 8, 10); ctx.setLineDash([]);
    } else { ctx.fillStyle = color; ctx.fillRect(x + 2, cy - 5, sw - 4, 10); }
    ctx.globalAlpha = 1; ctx.fillStyle = "#222";
    ctx.fillText(m.label, x + sw + 5, cy);
  });
}

function draw(canvas, scene) {
  const W = scene.width || 600, H = scene.height || 400;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(W * ratio) || canvas.height !== Math.round(H * ratio)) {
    canvas.width = Math.round(W * ratio); canvas.height = Math.round(H * ratio);
    canvas.style.width = `${W}px`; canvas.style.height = `${H}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
  for (const spec of scene.panels || []) {
    const p = new Panel(spec, W, H);
    ctx.save();
    ctx.beginPath(); ctx.rect(p.x0, p.y0, p.w, p.h); ctx.clip();
    for (const m of spec.marks || []) if (m.kind !== "text" || m.clip !== false) drawMark(ctx, p, m);
    ctx.restore();
    for (const m of spec.marks || []) if (m.kind === "text" && m.clip === false) drawMark(ctx, p, m);
    if (spec.frame !== false) drawAxes(ctx, p);
    if (spec.title) { ctx.font = "12px sans-serif"; ctx.fillStyle = "#000"; ctx.textAlign = "center";
      ctx.textBaseline = "bottom"; ctx.fillText(spec.title, p.x0 + p.w / 2, p.y0 - 6); }
    drawLegend(ctx, p);
  }
  if (scene.title) { ctx.font = "13px sans-serif"; ctx.fillStyle = "#000"; ctx.textAlign = "center";
    ctx.textBaseline = "top"; ctx.fillText(scene.title, W / 2, 4); }
}

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.className = "dlcourse-live-figure";
  el.appendChild(canvas);
  el.classList.add("dlcourse-live");
  let frames = 0, pending = false;
  const paint = () => {
    pending = false;
    const scene = model.get("scene");
    if (!scene || !scene.panels) return;
    const start = performance.now();
    draw(canvas, scene);
    frames += 1;
    el.dataset.drawMs = (performance.now() - start).toFixed(1);
    // for the browser tests: how many pictures were painted, and when (page clock, ms)
    el.dataset.frame = String(frames);
    el.dataset.paintedAt = String(performance.now());
  };
  const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(paint); } };
  model.on("change:scene", schedule);
  paint();
  return () => model.off("change:scene", schedule);
}

export default { render };
