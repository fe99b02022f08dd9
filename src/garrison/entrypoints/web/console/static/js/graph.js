// The link graph on entity and ring pages: cytoscape.js (vendored) fed by the REST graph endpoint.
// The first load shows two hops around the page's entity; clicking a node adds its neighbours
// (one more hop). Nodes that are personal data come with a pseudonym id and a redacted label;
// they can be expanded only by people allowed to read personal data (the server sends their ref).
(function () {
  "use strict";
  const box = document.getElementById("graph");
  if (!box || typeof window.cytoscape !== "function") {
    return;
  }
  const status = document.querySelector("[data-testid='graph-status']");
  const selection = document.getElementById("graph-selection");
  const expanded = new Set();

  const cy = window.cytoscape({
    container: box,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 9, "color": "#2b2f33", "text-valign": "bottom",
        "text-margin-y": 3, "width": 16, "height": 16, "background-color": "#9aa5ae",
        "border-width": 1, "border-color": "#ffffff", "text-max-width": 110, "text-wrap": "ellipsis" } },
      { selector: "node[kind = 'account']", style: { "background-color": "#46627a", "shape": "ellipse", "width": 20, "height": 20 } },
      { selector: "node[strength = 'strong']", style: { "shape": "round-rectangle", "background-color": "#7a6230" } },
      { selector: "node[strength = 'weak']", style: { "shape": "diamond", "background-color": "#8aa39a" } },
      { selector: "node[kind = 'org']", style: { "shape": "hexagon", "background-color": "#b7b7b0" } },
      { selector: "node[?ring]", style: { "border-width": 3, "border-color": "#8a4a4a" } },
      { selector: "node[?hub]", style: { "border-style": "dashed", "border-width": 2, "border-color": "#6b7278", "opacity": 0.7 } },
      { selector: "node[?center]", style: { "width": 28, "height": 28, "font-weight": "bold" } },
      { selector: "node:selected", style: { "overlay-color": "#7a9cbb", "overlay-opacity": 0.25 } },
      { selector: "edge", style: { "width": "mapData(weight, 0, 1, 1, 3)", "line-color": "#c9c9c2", "curve-style": "haystack" } },
      { selector: "edge[strength = 'strong']", style: { "line-color": "#b09a6a" } },
      { selector: "edge[strength = 'weak']", style: { "line-style": "dashed" } },
    ],
  });
  window.garrisonGraph = cy;

  function url(ref, depth) {
    const at = ref.indexOf(":");
    const kind = encodeURIComponent(ref.slice(0, at));
    const id = encodeURIComponent(ref.slice(at + 1));
    return "/v1/entities/" + kind + "/" + id + "/graph?depth=" + depth;
  }

  function strengthOf(kind) {
    if (kind === "ip") { return "weak"; }
    if (kind === "org") { return "owner"; }
    return kind === "account" ? "" : "strong";
  }

  function addGraph(graph, centerId) {
    let added = 0;
    for (const node of graph.nodes) {
      if (cy.getElementById(node.id).length) { continue; }
      cy.add({ group: "nodes", data: {
        id: node.id, label: node.label, kind: node.kind, ref: node.ref, hub: node.hub,
        ring: node.ring, accounts: node.accounts, strength: strengthOf(node.kind),
        center: node.id === centerId && cy.nodes().length === 0 } });
      added += 1;
    }
    for (const edge of graph.edges) {
      const id = edge.source + "|" + edge.target;
      if (cy.getElementById(id).length) { continue; }
      cy.add({ group: "edges", data: {
        id: id, source: edge.source, target: edge.target, weight: edge.weight,
        strength: edge.strength } });
    }
    return added;
  }

  function describe() {
    const shown = cy.nodes().length + " nodes, " + cy.edges().length + " links";
    status.textContent = shown;
    box.dataset.nodes = String(cy.nodes().length);
  }

  async function load(ref, nodeId, depth) {
    status.textContent = "Loading...";
    try {
      const response = await fetch(url(ref, depth), {
        credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (!response.ok) {
        status.textContent = "Could not load the graph (HTTP " + response.status + ").";
        return;
      }
      const graph = await response.json();
      expanded.add(graph.center);
      const added = addGraph(graph, graph.center);
      cy.layout({ name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true }).run();
      describe();
      if (graph.truncated) { status.textContent += " (some left out)"; }
      if (nodeId && added === 0) { status.textContent += "; nothing new around that node"; }
    } catch (error) {
      status.textContent = "Could not load the graph: " + error;
    }
  }

  function select(node) {
    const data = node.data();
    const lines = ["<strong>" + data.kind + "</strong> <code></code>"];
    selection.innerHTML = lines.join("");
    selection.querySelector("code").textContent = data.label;
    if (data.accounts !== null && data.accounts !== undefined) {
      selection.append(" · used by " + data.accounts + (data.hub ? "+ accounts (hub)" : " accounts"));
    }
    if (data.ref) {
      const at = data.ref.indexOf(":");
      const link = document.createElement("a");
      link.href = "/entities/" + encodeURIComponent(data.ref.slice(0, at)) + "/" + encodeURIComponent(data.ref.slice(at + 1));
      link.textContent = "Open entity page";
      selection.append(" · ", link);
    } else {
      selection.append(" · personal data: reveal it on the entity page to follow it");
    }
  }

  cy.on("tap", "node", function (event) {
    const node = event.target;
    select(node);
    const ref = node.data("ref");
    if (!ref || node.data("hub") || expanded.has(node.id())) { return; }
    load(ref, node.id(), 1);
  });

  load(box.dataset.ref, null, 2);
})();
