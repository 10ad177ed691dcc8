/* Peta ILP map runtime: drawn inside the streamlit-folium frame, no other library than Leaflet.
 *
 * The page sends two things (ui/maps.py):
 *   - once per data version and scope, the geometry (ILP_GEO below), quantised and delta-encoded
 *     (geo.display.encode_geometry), with this runtime and its texts (ILP_CFG): the component's
 *     main script, so a change of month or filter never sends or redraws it again;
 *   - on every change, a small lookup (status or class of each feature, figures of its tooltip,
 *     facility points) applied by window.ilpPeta.apply() from streamlit-folium's dynamic
 *     feature group: the map restyles in place and keeps the user's pan and zoom. A lookup with
 *     w: "tenaga" colours by pustu staffing (cfg.tenaga: geo/staffing.py classes) instead of
 *     status / gap class: the colouring is a value, so switching it never resends the geometry.
 * Every text from the data (names) is set with textContent, never as HTML.
 */
(function (map, cfg, geo) {
  "use strict";
  var q = Math.pow(10, -geo.d);

  function decode(polygons) {
    return polygons.map(function (rings) {
      return rings.map(function (ring) {
        var pts = [], x = 0, y = 0;
        for (var i = 0; i + 1 < ring.length; i += 2) {
          x += ring[i];
          y += ring[i + 1];
          pts.push([y * q, x * q]);
        }
        return pts;
      });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // A name on the map: a non-interactive marker whose text is centred on the point by CSS.
  function labelTip(latlng, text, cls) {
    var icon = L.divIcon({className: "ilp-label " + cls, html: el("span", null, text), iconSize: null});
    return L.marker(latlng, {icon: icon, interactive: false, keyboard: false});
  }

  var state = {lookup: {}, points: {}, drawn: {}, mode: "status"};
  function staffed() { return state.mode === "tenaga" && !cfg.changes; }
  var features = [];
  var byKode = {};
  var area = L.featureGroup().addTo(map);
  geo.f.forEach(function (row) {
    var kode = row[0], nama = row[1], extra = row[2], label = row[3];
    var props = {nama: nama};
    props[cfg.kind === "desa" ? "kode_desa" : "kode"] = kode;
    if (cfg.kind !== "desa") props.tingkat = cfg.level;
    var poly = L.polygon(decode(row[4]), {smoothFactor: 0.5});
    poly.feature = {type: "Feature", properties: props};
    poly.ilp = {kode: kode, nama: nama, extra: extra, label: label ? [label[1], label[0]] : null};
    poly.bindTooltip(function () { return tip(poly); }, {sticky: true});
    features.push(poly);
    byKode[kode] = poly;
  });

  // Heavier borders of the kecamatan over the desa, never clickable. They cost no bytes: an edge
  // of a desa ring is a kecamatan border when no desa of the same kecamatan shares it (the shapes
  // are a simplified coverage: neighbours share exactly the same integer vertices).
  function groupBorders() {
    var seen = {};
    geo.f.forEach(function (row) {
      var group = row[5];
      row[4].forEach(function (rings) {
        rings.forEach(function (ring) {
          var x = 0, y = 0, pts = [];
          for (var i = 0; i + 1 < ring.length; i += 2) { x += ring[i]; y += ring[i + 1]; pts.push([x, y]); }
          for (var j = 0; j < pts.length; j++) {
            var a = pts[j], b = pts[(j + 1) % pts.length];
            var key = a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a.concat(b).join(",") : b.concat(a).join(",");
            var entry = seen[key];
            if (!entry) seen[key] = {group: group, count: 1, a: a, b: b};
            else { entry.count += 1; if (entry.group !== group) entry.other = true; }
          }
        });
      });
    });
    var lines = [];
    Object.keys(seen).forEach(function (key) {
      var e = seen[key];
      if (e.count === 1 || e.other) lines.push([[e.a[1] * q, e.a[0] * q], [e.b[1] * q, e.b[0] * q]]);
    });
    return lines;
  }
  var groupLabels = [];
  if (geo.o && geo.o.length) {
    L.polyline(groupBorders(), {color: "#222222", weight: cfg.large ? 2.6 : 2.0, interactive: false}).addTo(map);
    geo.o.forEach(function (row) {
      if (row[3]) groupLabels.push({at: L.latLng(row[3][1], row[3][0]), text: row[1]});
    });
  }

  function style(poly) {
    var v = state.lookup[poly.ilp.kode];
    if (cfg.changes) {  // a change map (ui.compare_views): [change, status before, status after]
      return {fillColor: cfg.changes[v[0]][1], color: cfg.outline, weight: 0.6, fillOpacity: 0.85, opacity: 1};
    }
    if (staffed()) {  // [staffing class, ...]: geo/staffing.py's desa classes or unit bands
      var c = cfg.tenaga.classes[v[0]][0];
      if (cfg.kind === "desa") return {fillColor: c, color: cfg.outline, weight: 0.6, fillOpacity: 0.78, opacity: 1};
      return {fillColor: c, color: "#333333", weight: 1.2, fillOpacity: 0.85, opacity: 1};
    }
    if (cfg.kind === "desa") {
      var s = cfg.statuses[v[0]];
      return {fillColor: s[1], color: cfg.outline, weight: 0.6, fillOpacity: 0.78, opacity: 1};
    }
    var colour = v[0] < 0 ? cfg.nodata[0] : cfg.classes[v[0]][0];
    return {fillColor: colour, color: "#333333", weight: 1.2, fillOpacity: 0.85, opacity: 1};
  }

  function tip(poly) {
    var v = state.lookup[poly.ilp.kode] || [];
    var table = el("table");
    function row(label, value) {
      var tr = el("tr");
      tr.appendChild(el("th", null, label));
      tr.appendChild(el("td", null, value));
      table.appendChild(tr);
    }
    row(cfg.tip.names[0], poly.ilp.nama);
    (poly.ilp.extra || []).forEach(function (value, i) { row(cfg.tip.names[i + 1], value); });
    if (cfg.changes) {
      row(cfg.tip.before, cfg.statuses[v[1]][2]);
      row(cfg.tip.after, cfg.statuses[v[2]][2]);
      row(cfg.tip.change, cfg.changes[v[0]][2]);
    } else if (staffed() && cfg.kind === "desa") {  // [class, active pustu, staffed pustu, status]
      row(cfg.tip.status, cfg.statuses[v[3]][2]);
      row(cfg.tenaga.tip, cfg.tenaga.classes[v[0]][1]);
      row(cfg.tip.pustu, v[1]);
      row(cfg.tenaga.standar, v[2]);
    } else if (staffed()) {  // [class, share, staffed pustu, desa]
      row(cfg.tenaga.share, v[1]);
      row(cfg.tenaga.tip, cfg.tenaga.classes[v[0]][1]);
      row(cfg.tenaga.standar, v[2]);
      row(cfg.tip.desa, v[3]);
      var note = el("div", "ilp-tip-hint", cfg.tip.drill);
      var wrap = el("div");
      wrap.appendChild(table);
      wrap.appendChild(note);
      return wrap;
    } else if (cfg.kind === "desa") {
      row(cfg.tip.status, cfg.statuses[v[0]][2]);
      row(cfg.tip.pustu, v[1]);
      row(cfg.tip.posyandu, v[2]);
    } else {
      row(cfg.tip.share, v[0] < 0 ? cfg.nodata[1] : v[1]);
      row(cfg.tip.desa, v[2]);
      if (v[3]) row(cfg.tip.nodata, v[3]);
      var hint = el("div", "ilp-tip-hint", cfg.tip.drill);
      var box = el("div");
      box.appendChild(table);
      box.appendChild(hint);
      return box;
    }
    return table;
  }

  // Names: units always; kecamatan names at the kabupaten view and desa names once zoomed in far
  // enough to read them (at once when the map shows one kecamatan). Largest areas first; a name that would overlap one already placed is left
  // out (zooming in makes room for it).
  var nameLabels = L.layerGroup().addTo(map);
  function refreshLabels() {
    nameLabels.clearLayers();
    var view = map.getBounds().pad(0.05);
    var placed = [];
    function place(at, text, cls) {
      if (!view.contains(at)) return;
      var pt = map.latLngToContainerPoint(at);
      var w = text.length * (cls === "ilp-label-desa" ? 5.6 : 7.2) + 6, h = cls === "ilp-label-desa" ? 12 : 15;
      var box = [pt.x - w / 2, pt.y - h / 2, pt.x + w / 2, pt.y + h / 2];
      for (var i = 0; i < placed.length; i++) {
        var o = placed[i];
        if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) return;
      }
      placed.push(box);
      nameLabels.addLayer(labelTip(at, text, cls));
    }
    var byArea = function (a, b) { return b.size - a.size; };
    if (cfg.kind === "desa" && groupLabels.length && map.getZoom() < cfg.labelZoom) {  // one kecamatan: desa names
      groupLabels.forEach(function (g) { place(g.at, g.text, "ilp-label-unit"); });
      return;
    }
    features.filter(function (poly) { return state.drawn[poly.ilp.kode] && poly.ilp.label; })
      .map(function (poly) {
        var b = poly.getBounds(), sw = map.latLngToContainerPoint(b.getSouthWest()),
          ne = map.latLngToContainerPoint(b.getNorthEast());
        return {poly: poly, size: Math.abs((ne.x - sw.x) * (ne.y - sw.y))};
      })
      .sort(byArea)
      .forEach(function (item) {
        place(L.latLng(item.poly.ilp.label), item.poly.ilp.nama, cfg.kind === "desa" ? "ilp-label-desa" : "ilp-label-unit");
      });
  }
  map.on("zoomend moveend", refreshLabels);

  // Facility layers: persistent groups (the user's choice in the layer switch survives a new month).
  var groups = {}, overlays = {};
  cfg.layers.forEach(function (layer) {
    groups[layer.code] = L.layerGroup();
    if (layer.on) groups[layer.code].addTo(map);
    overlays[layer.label] = groups[layer.code];
  });
  if (cfg.layers.length) {
    L.control.layers(null, overlays, {collapsed: true, position: "topright"}).addTo(map);
    map.on("overlayadd overlayremove", function () { renderLegend(); });
  }

  function marker(layer, p) {
    var sym = p[2] ? layer.sym[0] : layer.sym[1];
    var size = cfg.small ? sym[2] : sym[1];
    var m;
    if (sym[3]) {
      m = L.circleMarker([p[0], p[1]], {radius: size, color: "#111111", weight: 1.2, fill: true,
        fillColor: sym[4], fillOpacity: 1.0});
    } else {
      var side = Math.round(size);
      var icon = L.divIcon({html: '<div class="ilp-sym ' + sym[0] + (cfg.small ? " ilp-s" : "") + '"></div>',
        iconSize: [side, side], iconAnchor: [Math.floor(side / 2), Math.floor(side / 2)], className: "ilp-icon"});
      m = L.marker([p[0], p[1]], {icon: icon});
    }
    m.bindTooltip(function () {
      var table = el("table");
      [[cfg.tip.fac[0], p[3]], [cfg.tip.fac[1], p[4]], [cfg.tip.fac[2], p[5]], [cfg.tip.fac[3], p[6]]]
        .forEach(function (pair) {
          var tr = el("tr");
          tr.appendChild(el("th", null, pair[0]));
          tr.appendChild(el("td", null, pair[1]));
          table.appendChild(tr);
        });
      return table;
    });
    return m;
  }

  // Legend: only what the map shows (statuses or classes present, facility layers switched on and not empty).
  var legend = L.control({position: "bottomright"});
  var legendDiv;
  legend.onAdd = function () {
    legendDiv = L.DomUtil.create("div", "ilp-legend" + (cfg.large ? " ilp-large" : ""));
    L.DomEvent.disableClickPropagation(legendDiv);
    return legendDiv;
  };
  legend.addTo(map);
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);

  function swatch(colour, label, title) {
    var row = el("div", "ilp-legend-row");
    if (title) row.title = title;
    var sw = el("span", "ilp-sym ilp-swatch");
    sw.style.background = colour;
    row.appendChild(sw);
    row.appendChild(document.createTextNode(label));
    return row;
  }

  function renderLegend() {
    if (!legendDiv) return;
    legendDiv.textContent = "";
    legendDiv.appendChild(el("div", "ilp-legend-title", staffed() ? cfg.tenaga.title : cfg.legendTitle));
    var used = {};
    Object.keys(state.drawn).forEach(function (k) {
      var v = state.lookup[k];
      if (v) used[v[0]] = true;
    });
    if (cfg.changes) {
      cfg.changes.forEach(function (c, i) { if (used[i]) legendDiv.appendChild(swatch(c[1], c[2], c[3])); });
    } else if (staffed()) {
      cfg.tenaga.classes.forEach(function (c, i) { if (used[i]) legendDiv.appendChild(swatch(c[0], c[1], c[2])); });
    } else if (cfg.kind === "desa") {
      cfg.statuses.forEach(function (s, i) { if (used[i]) legendDiv.appendChild(swatch(s[1], s[2], s[3])); });
    } else {
      cfg.classes.forEach(function (c, i) { if (used[i]) legendDiv.appendChild(swatch(c[0], c[1])); });
      if (used[-1]) legendDiv.appendChild(swatch(cfg.nodata[0], cfg.nodata[1]));
    }
    var rows = [];
    cfg.layers.slice().reverse().forEach(function (layer) {  // top layer first
      if (!map.hasLayer(groups[layer.code])) return;
      var pts = state.points[layer.code] || [];
      var oneSymbol = layer.sym[0][0] === layer.sym[1][0];
      layer.legend.forEach(function (entry) {
        if (pts.some(function (p) { return oneSymbol || !!p[2] === entry[2]; })) rows.push(entry);
      });
    });
    if (rows.length) {
      legendDiv.appendChild(el("div", "ilp-legend-title", cfg.facilitiesTitle));
      rows.forEach(function (entry) {
        var row = el("div", "ilp-legend-row");
        row.appendChild(el("span", "ilp-sym " + entry[0]));
        row.appendChild(document.createTextNode(entry[1]));
        legendDiv.appendChild(row);
      });
    }
    if (cfg.sekitar) nearestLegend(legendDiv);
  }

  // Desa page (cfg.sekitar, ui/desa_views.py): the neighbouring desa in thin grey outline (names on
  // hover), the line to the nearest active pustu the engine measured to (data.j: desa point, pustu point,
  // name, desa, distance), and the view fitted so the legend never covers the desa: the fitted box keeps
  // clear of the legend's measured width on the right.
  var near = {layer: L.layerGroup().addTo(map), data: null, fitted: null};
  if (cfg.sekitar) {
    (cfg.sekitar.tetangga || []).forEach(function (row) {
      var poly = L.polygon(decode(row[4]), {color: "#8C8C8C", weight: 1, fill: true, fillOpacity: 0,
        smoothFactor: 0.5});
      poly.bindTooltip(function () {
        var table = el("table"), tr = el("tr");
        tr.appendChild(el("th", null, cfg.sekitar.teks.tetangga));
        tr.appendChild(el("td", null, row[1]));
        table.appendChild(tr);
        tr = el("tr");
        tr.appendChild(el("th", null, cfg.tip.names[1]));
        tr.appendChild(el("td", null, (row[2] || [])[0]));
        table.appendChild(tr);
        return table;
      }, {sticky: true});
      poly.addTo(map);
    });
  }
  function showNearest(j) {
    near.layer.clearLayers();
    near.data = j && j.b ? j : null;
    if (!near.data) return;
    var t = cfg.sekitar.teks;
    if (j.a[0] !== j.b[0] || j.a[1] !== j.b[1]) {
      var line = L.polyline([j.a, j.b], {color: "#111111", weight: 2.5, dashArray: "6 5", interactive: false});
      near.layer.addLayer(line);
      near.layer.addLayer(labelTip(L.latLng((j.a[0] + j.b[0]) / 2, (j.a[1] + j.b[1]) / 2), j.k, "ilp-label-unit"));
    }
    var icon = L.divIcon({html: '<div class="ilp-sym ilp-pustu" style="box-shadow: 0 0 0 3px #fff, 0 0 0 5px #111"></div>',
      iconSize: [14, 14], iconAnchor: [7, 7], className: "ilp-icon ilp-terdekat"});
    var m = L.marker(j.b, {icon: icon, zIndexOffset: 1000});
    m.bindTooltip(function () {
      var table = el("table");
      [[cfg.tip.fac[0], j.n], [cfg.tip.fac[1], t.terdekat], [cfg.tip.fac[2], j.d], [t.jarak, j.k]]
        .forEach(function (pair) {
          var tr = el("tr");
          tr.appendChild(el("th", null, pair[0]));
          tr.appendChild(el("td", null, pair[1]));
          table.appendChild(tr);
        });
      return table;
    });
    near.layer.addLayer(m);
  }
  function nearestLegend(div) {
    if (!near.data) return;
    div.appendChild(el("div", "ilp-legend-title", cfg.sekitar.teks.terdekat));
    var row = el("div", "ilp-legend-row"), sym = el("span", "ilp-sym");
    sym.style.cssText = "width: 16px; height: 0; border-top: 2.5px dashed #111; margin-right: 5px;";
    row.appendChild(sym);
    row.appendChild(document.createTextNode(near.data.n + " (" + near.data.k + ")"));
    div.appendChild(row);
  }
  function keepLegendClear() {
    var s = cfg.sekitar;
    if (!s.fit) return;
    var key = near.data ? near.data.b.join(",") : "";
    if (near.fitted === key) return;  // fitted once, and again only when the nearest pustu moves
    near.fitted = key;
    var box = L.latLngBounds(s.fit);
    if (near.data) { box.extend(near.data.a); box.extend(near.data.b); }
    // The legend (bottom-right) gets a strip of its own: beside the box or below it, whichever
    // leaves the box larger; the box stays out of the legend's corner either way.
    var w = (legendDiv && legendDiv.offsetWidth ? legendDiv.offsetWidth : s.free) + s.margin;
    var h = (legendDiv && legendDiv.offsetHeight ? legendDiv.offsetHeight : s.free) + s.margin;
    var beside = map.getBoundsZoom(box, false, L.point(2 * s.pad + w, 2 * s.pad));
    var below = map.getBoundsZoom(box, false, L.point(2 * s.pad, 2 * s.pad + h));
    var corner = beside >= below ? [s.pad + w, s.pad] : [s.pad, s.pad + h];
    map.fitBounds(box, {paddingTopLeft: [s.pad, s.pad], paddingBottomRight: corner, animate: false});
  }

  // Maps of one group (cfg.sync, e.g. the Bandingkan page's) pan and zoom together. Each map is a
  // streamlit-folium frame of the same origin: a map finds the others through window.top's frames and
  // hands them its view. A view received is applied without being sent on, and a view already shown
  // is not applied again, so two maps never echo each other.
  var following = false;
  function syncPeers() {
    var found = [];
    function visit(win) {
      var frames;
      try { frames = win.frames; } catch (e) { return; }
      for (var i = 0; i < frames.length; i++) {
        var other = frames[i];
        try {
          var api = other.ilpPeta;
          if (other !== window && api && api.sync === cfg.sync && api.follow) found.push(api);
        } catch (e) { continue; }  // a frame of another origin
        visit(other);
      }
    }
    try { visit(window.top); } catch (e) { return found; }
    return found;
  }
  function follow(lat, lng, zoom) {
    var c = map.getCenter();
    if (Math.abs(c.lat - lat) < 1e-7 && Math.abs(c.lng - lng) < 1e-7 && map.getZoom() === zoom) return;
    following = true;
    try { map.setView([lat, lng], zoom, {animate: false}); } finally { following = false; }
  }
  if (cfg.sync) {
    map.on("moveend", function () {
      if (following) return;
      var c = map.getCenter(), zoom = map.getZoom();
      syncPeers().forEach(function (peer) { peer.follow(c.lat, c.lng, zoom); });
    });
  }

  window.ilpPeta = {
    map: map,
    features: features,
    sync: cfg.sync || null,
    follow: follow,
    apply: function (data) {
      state.lookup = data.v || {};
      state.mode = data.w || "status";
      state.points = data.p || {};
      state.drawn = {};
      features.forEach(function (poly) {
        var shown = Object.prototype.hasOwnProperty.call(state.lookup, poly.ilp.kode);
        if (shown) {
          state.drawn[poly.ilp.kode] = true;
          poly.setStyle(style(poly));
          if (!area.hasLayer(poly)) area.addLayer(poly);
        } else if (area.hasLayer(poly)) {
          area.removeLayer(poly);
        }
      });
      cfg.layers.forEach(function (layer) {
        groups[layer.code].clearLayers();
        (state.points[layer.code] || []).forEach(function (p) { groups[layer.code].addLayer(marker(layer, p)); });
      });
      if (cfg.sekitar) showNearest(data.j);
      renderLegend();
      if (cfg.sekitar) keepLegendClear();
      refreshLabels();
    },
  };
})(ILP_MAP, ILP_CFG, ILP_GEO);
