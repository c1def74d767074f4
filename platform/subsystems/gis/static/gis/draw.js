// 範囲を描いて面積按分: click vertices on the map (or one point and a radius), then the API estimates the
// table's cell for the drawn area from the municipalities it overlaps; an agency's user may save it.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const panel = document.getElementById("draw");
  if (!el || !panel) return;
  const fmt = new Intl.NumberFormat("ja-JP", { maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat("ja-JP", { style: "percent", maximumFractionDigits: 2 });
  const status = document.getElementById("draw-status");
  let mode = null;
  let vertices = [];

  function shape() {
    if (vertices.length < 3) return { type: "LineString", coordinates: vertices };
    return { type: "Polygon", coordinates: [[...vertices, vertices[0]]] };
  }

  function redraw(map) {
    const src = map.getSource("drawn");
    if (src) src.setData({ type: "Feature", properties: {}, geometry: shape() });
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.append(td);
  }

  function show(res) {
    const out = document.getElementById("allocation");
    out.hidden = false;
    document.getElementById("alloc-estimate").textContent = `${fmt.format(res.estimate)} ${res.unit}`;
    document.getElementById("alloc-area").textContent = `${fmt.format(res.target_km2)} km²`;
    document.getElementById("alloc-covered").textContent = pct.format(res.covered_share) + (res.complete ? "" : "（秘匿・データなしの地域を含む）");
    document.getElementById("alloc-assumption").textContent = res.assumption;
    const body = document.getElementById("alloc-parts");
    body.replaceChildren();
    res.parts.filter((p) => p.share >= 1e-6).forEach((p) => {
      const tr = document.createElement("tr");
      tr.dataset.code = p.code;
      cell(tr, `${p.name}（${p.code}）`);
      cell(tr, fmt.format(p.overlap_km2), "num");
      cell(tr, pct.format(p.share), "num");
      cell(tr, p.value === null ? "秘匿・データなし" : fmt.format(p.value), "num");
      cell(tr, p.contribution === null ? "—" : fmt.format(p.contribution), "num");
      body.append(tr);
    });
  }

  async function estimate(target) {
    const lg = window.govstatLegend;
    if (!lg) return;
    const picks = {};
    new URL(lg.tiles, window.location.origin).searchParams.forEach((v, k) => { if (k !== "table") picks[k] = v; });
    const r = await fetch("/api/gis/allocate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ table: lg.stats_data_id, level: lg.level, picks, ...target }),
    });
    const body = await r.json();
    if (!r.ok) { status.textContent = body.detail || "推計できませんでした"; return; }
    status.textContent = "推計しました / estimated";
    show(body);
  }

  function start(map) {
    map.addSource("drawn", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "drawn-fill", type: "fill", source: "drawn", paint: { "fill-color": "#1f78b4", "fill-opacity": 0.25 } });
    map.addLayer({ id: "drawn-line", type: "line", source: "drawn", paint: { "line-color": "#1f78b4", "line-width": 2 } });
    map.on("click", (e) => {
      if (mode === "polygon") {
        vertices.push([e.lngLat.lng, e.lngLat.lat]);
        status.textContent = `頂点 ${vertices.length} 個 / vertices`;
        redraw(map);
      } else if (mode === "point") {
        mode = window.govstatDrawing = null;
        const radius = Number(document.getElementById("draw-radius").value || 1000);
        estimate({ point: { lat: e.lngLat.lat, lon: e.lngLat.lng, radius_m: radius } });
      }
    });
    document.getElementById("draw-polygon").addEventListener("click", () => {
      mode = window.govstatDrawing = "polygon";
      vertices = [];
      redraw(map);
      status.textContent = "地図をクリックして頂点を置いてください / click the map to add vertices";
    });
    document.getElementById("draw-point").addEventListener("click", () => {
      mode = window.govstatDrawing = "point";
      status.textContent = "推計する地点をクリックしてください / click a point";
    });
    document.getElementById("draw-done").addEventListener("click", () => {
      mode = window.govstatDrawing = null;
      if (vertices.length < 3) { status.textContent = "頂点を3つ以上置いてください / at least 3 vertices"; return; }
      estimate({ geometry: shape() });
    });
    document.getElementById("draw-clear").addEventListener("click", () => {
      mode = window.govstatDrawing = null;
      vertices = [];
      redraw(map);
      document.getElementById("allocation").hidden = true;
    });
    const save = document.getElementById("draw-save");
    if (save) save.addEventListener("click", async () => {
      if (vertices.length < 3) { status.textContent = "保存する範囲を描いてください / draw an area first"; return; }
      const name = document.getElementById("draw-name").value || "描いた範囲";
      const r = await fetch("/api/gis/areas", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": panel.dataset.csrf },
        body: JSON.stringify({ name, geometry: shape() }),
      });
      status.textContent = r.ok ? `「${name}」を保存しました / saved` : "保存できませんでした / not saved";
    });
  }

  document.addEventListener("govstat:map-ready", (e) => start(e.detail));
})();
