// 統計地図: draws govstat's own vector tiles (PostGIS ST_AsMVT) with MapLibre GL JS, coloured by the
// class breaks the API computed; legend and popup in Japanese; the MLIT credit on the map.
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el || !window.maplibregl) return;
  maplibregl.setWorkerUrl(el.dataset.worker);
  const origin = window.location.origin;
  const fmt = new Intl.NumberFormat("ja-JP", { maximumFractionDigits: 2 });
  const NO_DATA = "#d9d9d9";

  function legendItem(color, text) {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = color;
    item.append(swatch, text);
    return item;
  }

  function drawLegend(lg) {
    const box = document.getElementById("legend");
    box.replaceChildren();
    const head = document.createElement("strong");
    head.textContent = `${lg.method_name}（${lg.unit || "値"}）`;
    box.append(head);
    const b = lg.breaks;
    lg.colors.forEach((c, i) => {
      const lo = i === 0 ? "" : fmt.format(b[i - 1]);
      const hi = i === b.length ? "" : fmt.format(b[i]);
      const text = i === 0 ? `${hi} 未満` : i === b.length ? `${lo} 以上` : `${lo} 〜 ${hi} 未満`;
      box.append(legendItem(c, `${text}（${lg.counts[i]}）`));
    });
    box.append(legendItem(NO_DATA, `データなし・秘匿（${lg.missing}）`));
    el.dataset.breaks = JSON.stringify(b);
  }

  function fillColor(lg) {
    if (!lg) return NO_DATA;
    const step = ["step", ["get", "value"], lg.colors[0]];
    lg.breaks.forEach((b, i) => step.push(b, lg.colors[i + 1]));
    return ["case", ["has", "value"], step, NO_DATA];
  }

  function popup(map, e, lg) {
    const f = e.features[0];
    const p = f.properties;
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = `${p.name}（${p.code}）`;
    const value = document.createElement("div");
    value.textContent = p.value === undefined ? "データなし・秘匿" : `${fmt.format(p.value)} ${lg ? lg.unit : ""}`;
    box.append(title, value);
    if (lg) {
      const link = document.createElement("a");
      link.href = lg.table_url;
      link.textContent = "統計表を見る / the table";
      const report = document.createElement("a");
      report.href = `/gis/areas/${encodeURIComponent(p.code)}?table=${encodeURIComponent(lg.stats_data_id)}`;
      report.textContent = "地域レポート / report";
      box.append(link, document.createElement("br"), report);
    }
    new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(box).addTo(map);
  }

  async function start() {
    let lg = null;
    if (el.dataset.legend) {
      const r = await fetch(el.dataset.legend);
      if (r.ok) lg = await r.json();
    }
    const tiles = lg ? lg.tiles : "/api/gis/tiles/municipality/{z}/{x}/{y}.mvt";
    const map = new maplibregl.Map({
      container: el,
      bounds: [[128.5, 30.5], [146.0, 45.6]],
      attributionControl: { compact: false, customAttribution: el.dataset.credit },
      style: {
        version: 8,
        sources: {
          areas: { type: "vector", tiles: [origin + tiles], maxzoom: 14 },
          prefs: { type: "vector", tiles: [origin + el.dataset.prefectures], maxzoom: 10 },
        },
        layers: [
          { id: "bg", type: "background", paint: { "background-color": "#eef3f7" } },
          { id: "fill", type: "fill", source: "areas", "source-layer": "areas", paint: { "fill-color": fillColor(lg), "fill-opacity": 0.9 } },
          { id: "edge", type: "line", source: "areas", "source-layer": "areas", paint: { "line-color": "#777", "line-width": 0.3 } },
          { id: "pref", type: "line", source: "prefs", "source-layer": "areas", paint: { "line-color": "#333", "line-width": 0.9 } },
        ],
      },
    });
    map.addControl(new maplibregl.NavigationControl());
    window.govstatMap = map;
    window.govstatLegend = lg;
    if (lg) drawLegend(lg);
    map.on("click", "fill", (e) => { if (!window.govstatDrawing) popup(map, e, lg); });
    map.on("mouseenter", "fill", () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", "fill", () => { map.getCanvas().style.cursor = ""; });
    map.once("load", () => document.dispatchEvent(new CustomEvent("govstat:map-ready", { detail: map })));
    map.once("idle", () => { el.dataset.ready = "1"; });
  }
  start();
})();
