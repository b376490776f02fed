// The graph of who says what (claims/graph.py) in every [data-graph] element (templates/claims/_graph_section.html):
// fetch its data-graph-url, draw it with Cytoscape.js (the built-in `cose` layout, no plugin), open a node's page
// when it is selected, and list the links as a table under the canvas unless the page already did.
// Colours come from graph.css's custom properties, which the legend uses too. Its texts are in the page's
// language: Django's JavaScript catalogue (templates/base.html loads it first), else English.
(function () {
  "use strict";

  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };

  var LISTED_EDGES = 300; // as claims.graph.LISTED_EDGES
  var KIND_NAMES = { claim: gettext("claim"), source: gettext("source"), report: gettext("report"), entity: gettext("entity") };

  window.claimtrackerGraphs = [];

  function colours(element) {
    var computed = window.getComputedStyle(element);
    return function (name) {
      return computed.getPropertyValue("--graph-" + name).trim();
    };
  }

  function style(colour) {
    return [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 9,
          // Labels show once zoomed in enough to read them: the whole graph first, its words on a closer look.
          "min-zoomed-font-size": 7,
          "text-wrap": "wrap",
          "text-max-width": 140,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#1f2328",
          "border-width": 1,
          "border-color": "#57606a",
          width: 22,
          height: 22,
        },
      },
      { selector: 'node[kind = "claim"]', style: { shape: "round-rectangle", width: 30, height: 20 } },
      { selector: 'node[status = "draft"]', style: { "background-color": colour("claim-draft") } },
      { selector: 'node[status = "in_review"]', style: { "background-color": colour("claim-in_review") } },
      { selector: 'node[status = "vetted"]', style: { "background-color": colour("claim-vetted") } },
      { selector: 'node[status = "rejected"]', style: { "background-color": colour("claim-rejected") } },
      { selector: 'node[status = "retracted"]', style: { "background-color": colour("claim-retracted") } },
      { selector: 'node[kind = "source"]', style: { shape: "ellipse", "background-color": colour("source") } },
      { selector: 'node[kind = "report"]', style: { shape: "rectangle", "background-color": colour("report") } },
      { selector: 'node[kind = "entity"]', style: { shape: "diamond", "background-color": colour("entity") } },
      { selector: "node[?focus]", style: { "border-width": 4, "border-color": colour("focus"), "font-weight": "bold" } },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "font-size": 8,
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          "text-background-padding": 1,
        },
      },
      { selector: "edge[label]", style: { label: "data(label)" } },
      { selector: 'edge[stance = "supports"]', style: { "line-color": colour("supports"), "target-arrow-color": colour("supports") } },
      {
        selector: 'edge[stance = "contradicts"]',
        style: { "line-color": colour("contradicts"), "target-arrow-color": colour("contradicts"), width: 2 },
      },
      { selector: 'edge[stance = "neutral"]', style: { "line-color": colour("neutral"), "target-arrow-color": colour("neutral") } },
      { selector: "edge[?hedged]", style: { "line-style": "dashed" } },
      {
        selector: 'edge[kind = "reported_in"]',
        style: { "line-color": colour("reported_in"), "target-arrow-shape": "none", width: 1 },
      },
      { selector: 'edge[kind = "relation"]', style: { "line-color": colour("relation"), "target-arrow-color": colour("relation"), width: 2 } },
      { selector: 'edge[kind = "derives"]', style: { "line-color": colour("derives"), "target-arrow-color": colour("derives"), width: 2 } },
      {
        selector: 'edge[kind = "about"]',
        style: { "line-color": colour("about"), "target-arrow-color": colour("about"), "line-style": "dotted", width: 1 },
      },
      {
        selector: 'edge[kind = "same_as"], edge[kind = "member_of"]',
        style: { "line-color": colour("source-link"), "target-arrow-color": colour("source-link"), "line-style": "dashed" },
      },
    ];
  }

  function layoutFor(count) {
    // cose is built in and reads well up to a few hundred nodes; beyond, a grid keeps the page responsive.
    if (count > 800) {
      return { name: "grid", animate: false, avoidOverlap: true };
    }
    return {
      name: "cose",
      animate: false,
      randomize: false,
      nodeDimensionsIncludeLabels: false,
      idealEdgeLength: function () {
        return 70;
      },
      nodeRepulsion: function () {
        return 60000;
      },
      nodeOverlap: 10,
      gravity: 0.4,
      componentSpacing: 60,
      numIter: count > 300 ? 400 : 1000,
    };
  }

  function link(node) {
    var cell = document.createElement("td");
    var kind = document.createElement("span");
    kind.className = "node-kind";
    kind.textContent = KIND_NAMES[node.kind] || node.kind;
    var anchor = document.createElement("a");
    anchor.href = node.url;
    anchor.textContent = node.label;
    cell.appendChild(kind);
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(anchor);
    return cell;
  }

  function list(container, graph) {
    var nodes = {};
    graph.elements.nodes.forEach(function (element) {
      nodes[element.data.id] = element.data;
    });
    var edges = graph.elements.edges;
    var table = document.createElement("table");
    table.className = "graph-table";
    var caption = table.createCaption();
    caption.textContent =
      gettext("Links in the graph") +
      (edges.length > LISTED_EDGES
        ? interpolate(gettext(": the first %(rows)s, %(more)s more not listed"), { rows: LISTED_EDGES, more: edges.length - LISTED_EDGES }, true)
        : "");
    var FROM = gettext("From");
    var LINK = gettext("Link");
    var TO = gettext("To");
    var head = table.createTHead().insertRow();
    [FROM, LINK, TO].forEach(function (title) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      head.appendChild(th);
    });
    var body = table.createTBody();
    edges.slice(0, LISTED_EDGES).forEach(function (element) {
      var edge = element.data;
      var row = body.insertRow();
      var from = link(nodes[edge.source]);
      from.setAttribute("data-label", FROM);
      var what = document.createElement("td");
      what.setAttribute("data-label", LINK);
      what.className = "edge-" + edge.kind + (edge.stance ? " stance-" + edge.stance : "");
      what.textContent = edge.text;
      var to = link(nodes[edge.target]);
      to.setAttribute("data-label", TO);
      row.appendChild(from);
      row.appendChild(what);
      row.appendChild(to);
    });
    if (!edges.length) {
      var cell = body.insertRow().insertCell();
      cell.colSpan = 3;
      cell.className = "muted";
      cell.textContent = gettext("No links.");
    }
    container.appendChild(table);
  }

  // As the page words it (templates/claims/_graph_section.html): the same messages, in the same catalogue.
  function summary(counts) {
    function n(text, count) {
      return interpolate(text, { counter: count }, true);
    }
    return (
      n(ngettext("%(counter)s claim", "%(counter)s claims", counts.claims), counts.claims) + ", " +
      n(ngettext("%(counter)s source", "%(counter)s sources", counts.sources), counts.sources) + ", " +
      n(ngettext("%(counter)s report", "%(counter)s reports", counts.reports), counts.reports) + ", " +
      n(ngettext("%(counter)s entity", "%(counter)s entities", counts.entities), counts.entities) + "; " +
      n(ngettext("%(counter)s link.", "%(counter)s links.", counts.edges), counts.edges)
    );
  }

  function draw(element) {
    var status = element.querySelector("[data-graph-status]");
    var canvas = element.querySelector("[data-graph-canvas]");
    var listed = element.querySelector("[data-graph-list]");
    if (typeof window.cytoscape !== "function") {
      status.textContent = gettext("The graph library did not load; the links are listed below.");
      return;
    }
    element.classList.add("graph-live");
    if (!status.textContent.trim()) {
      status.textContent = gettext("Loading the graph…");
    }
    fetch(element.getAttribute("data-graph-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || interpolate(gettext("The graph could not be loaded (%(status)s)."), { status: response.status }, true));
          }
          return body;
        });
      })
      .then(function (graph) {
        status.textContent = summary(graph.counts) + (graph.notice ? " " + graph.notice : "");
        if (!listed.hasAttribute("data-graph-listed")) {
          list(listed, graph);
        }
        var cy = window.cytoscape({
          container: canvas,
          elements: graph.elements,
          style: style(colours(element)),
          minZoom: 0.1,
          maxZoom: 3,
        });
        cy.on("tap", "node", function (event) {
          window.location.assign(event.target.data("url"));
        });
        cy.on("mouseover", "node", function () {
          canvas.style.cursor = "pointer";
        });
        cy.on("mouseout", "node", function () {
          canvas.style.cursor = "";
        });
        var layout = cy.layout(layoutFor(cy.nodes().length));
        layout.one("layoutstop", function () {
          cy.fit(undefined, 20);
          element.setAttribute("data-rendered-nodes", String(cy.nodes().length));
          element.setAttribute("data-rendered-edges", String(cy.edges().length));
          element.setAttribute("data-graph-ready", "true");
        });
        window.claimtrackerGraphs.push(cy);
        layout.run();
      })
      .catch(function (error) {
        element.classList.remove("graph-live");
        status.textContent = error.message;
        status.classList.add("alert");
        element.setAttribute("data-graph-ready", "error");
      });
  }

  document.querySelectorAll("[data-graph]").forEach(draw);
})();
