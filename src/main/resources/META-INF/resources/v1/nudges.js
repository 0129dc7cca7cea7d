/*
 * Kizuna in-app nudges for the browser. No dependencies.
 *
 *   <script src="https://kizuna.example.com/v1/nudges.js"></script>
 *   <script>
 *     Kizuna.nudges({ host: "https://kizuna.example.com", writeKey: "...", userId: "u1",
 *                     container: document.body, onNudge: function (nudge) {} });
 *   </script>
 *
 * Follows GET /v1/nudges/stream with fetch (EventSource cannot send the Authorization header),
 * shows each nudge where its template places it (banner, modal, toast, inline), and reports
 * seen, clicked and dismissed. onNudge(nudge) is called for each new nudge; when it returns
 * false, the script leaves showing that nudge to the page. Returns { close() } to stop.
 */
(function (global) {
  "use strict";

  var STYLE =
    ".kizuna-nudge{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif;color:#1b1b1f;background:#fff;" +
    "border:1px solid #d0d0d7;border-radius:6px;padding:12px 40px 12px 16px;position:relative;z-index:2147483000}" +
    ".kizuna-nudge h2{font-size:15px;margin:0 0 4px}.kizuna-nudge p{margin:0 0 8px}" +
    ".kizuna-cta{display:inline-block;background:#3b4cca;color:#fff;border-radius:4px;padding:6px 12px;text-decoration:none}" +
    ".kizuna-close{position:absolute;top:6px;right:6px;border:0;background:none;font-size:20px;line-height:1;cursor:pointer;padding:4px 8px}" +
    ".kizuna-cta:focus,.kizuna-close:focus{outline:2px solid #3b4cca;outline-offset:2px}" +
    ".kizuna-banner{position:fixed;top:0;left:0;right:0;border-radius:0}" +
    ".kizuna-toast{position:fixed;right:16px;bottom:16px;max-width:360px;box-shadow:0 4px 16px rgba(0,0,0,.2)}" +
    ".kizuna-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:2147483000;display:flex;" +
    "align-items:center;justify-content:center}" +
    ".kizuna-modal{max-width:480px;width:calc(100% - 32px)}" +
    ".kizuna-inline{margin:8px 0}";

  function nudges(options) {
    var host = String(options.host || "").replace(/\/+$/, "");
    var container = options.container || document.body;
    var authorization = "Basic " + btoa(options.writeKey + ":");
    var shown = {};
    var stopped = false;
    var aborter = null;
    var delay = 1000;

    addStyle();
    connect();

    function connect() {
      if (stopped) return;
      aborter = new AbortController();
      var url = host + "/v1/nudges/stream?userId=" + encodeURIComponent(options.userId);
      fetch(url, { headers: { Authorization: authorization, Accept: "text/event-stream" }, signal: aborter.signal })
        .then(function (response) {
          if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
            // A wrong key or user id does not get better by asking again; a timeout or a rate limit does.
            stopped = true;
            throw new Error("Kizuna nudges: the stream answered " + response.status);
          }
          if (!response.ok || !response.body) throw new Error("Kizuna nudges: the stream answered " + response.status);
          delay = 1000;
          return readEvents(response.body.getReader(), onEvent);
        })
        .catch(function (error) {
          // A lost connection is retried quietly; only a refusal is worth telling the page's developer.
          if (stopped && error.name !== "AbortError") console.warn(error.message);
        })
        .then(reconnectLater);
    }

    function reconnectLater() {
      if (stopped) return;
      // Exponential backoff with jitter, so that many pages do not return at the same instant.
      var wait = delay * (0.5 + Math.random() / 2);
      delay = Math.min(delay * 2, 60000);
      setTimeout(connect, wait);
    }

    function onEvent(event) {
      if (event.name !== "nudge") return;
      var nudge;
      try {
        nudge = JSON.parse(event.data);
      } catch (notJson) {
        return;
      }
      // Pending nudges are sent again after each reconnect: show each once.
      if (shown[nudge.id]) return;
      shown[nudge.id] = true;
      if (typeof options.onNudge === "function" && options.onNudge(nudge) === false) return;
      show(nudge);
    }

    function show(nudge) {
      var reports = Promise.resolve();
      // In order, so that a fast click never reaches Kizuna before the nudge was seen.
      function report(action) {
        reports = reports.then(function () {
          return fetch(host + "/v1/nudges/" + encodeURIComponent(nudge.id) + "/" + action, {
            method: "POST",
            headers: { Authorization: authorization },
            keepalive: true
          }).catch(function () {});
        });
      }

      var placement = nudge.placement || "banner";
      var box = element("div", "kizuna-nudge kizuna-" + placement);
      var titleId = "kizuna-nudge-title-" + nudge.id;
      var title = element("h2", null, nudge.title);
      title.id = titleId;
      box.appendChild(title);
      if (nudge.body) box.appendChild(element("p", null, nudge.body));
      var href = nudge.cta && safeUrl(nudge.cta.url);
      if (href) {
        var cta = element("a", "kizuna-cta", nudge.cta.label || href);
        cta.href = href;
        cta.addEventListener("click", function () {
          report("clicked");
          remove();
        });
        box.appendChild(cta);
      }
      var close = element("button", "kizuna-close", "\u00d7");
      close.type = "button";
      close.setAttribute("aria-label", "Close");
      close.addEventListener("click", function () {
        report("dismissed");
        remove();
      });
      box.appendChild(close);

      var root = box;
      var previousFocus = document.activeElement;
      if (placement === "modal") {
        root = element("div", "kizuna-backdrop");
        box.setAttribute("role", "dialog");
        box.setAttribute("aria-modal", "true");
        box.setAttribute("aria-labelledby", titleId);
        box.tabIndex = -1;
        root.appendChild(box);
        document.addEventListener("keydown", onKey);
        document.body.appendChild(root);
        (box.querySelector(".kizuna-cta") || close).focus();
      } else if (placement === "toast") {
        box.setAttribute("role", "status");
        box.setAttribute("aria-live", "polite");
        document.body.appendChild(root);
      } else {
        box.setAttribute("role", "region");
        box.setAttribute("aria-labelledby", titleId);
        if (placement === "inline") {
          container.appendChild(root);
        } else {
          document.body.insertBefore(root, document.body.firstChild);
        }
      }
      report("seen");
      // Gone from the page when it expires, as it is gone from the list (timers past ~24 days overflow).
      var expiresIn = nudge.expiresAt ? Date.parse(nudge.expiresAt) - Date.now() : NaN;
      if (expiresIn < 2147483647) setTimeout(remove, Math.max(0, expiresIn));

      function onKey(event) {
        if (event.key === "Escape") {
          report("dismissed");
          remove();
        }
      }

      function remove() {
        document.removeEventListener("keydown", onKey);
        if (root.parentNode) root.parentNode.removeChild(root);
        if (placement === "modal" && previousFocus && previousFocus.focus) previousFocus.focus();
      }
    }

    return {
      close: function () {
        stopped = true;
        if (aborter) aborter.abort();
      }
    };
  }

  /** Reads a text/event-stream body and calls onEvent({ id, name, data }) for each event. */
  function readEvents(reader, onEvent) {
    var decoder = new TextDecoder();
    var buffer = "";
    var event = { id: null, name: "message", data: [] };

    function line(text) {
      if (text === "") {
        if (event.data.length) onEvent({ id: event.id, name: event.name, data: event.data.join("\n") });
        event = { id: event.id, name: "message", data: [] };
        return;
      }
      if (text.charAt(0) === ":") return; // a comment: the heartbeat
      var colon = text.indexOf(":");
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? "" : text.slice(colon + 1).replace(/^ /, "");
      if (field === "data") event.data.push(value);
      else if (field === "event") event.name = value;
      else if (field === "id") event.id = value;
    }

    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop(); // an incomplete last line waits for the next chunk
        lines.forEach(line);
        return pump();
      });
    }
    return pump();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text; // never innerHTML: nudge text is data
    return node;
  }

  /** Only http and https links: a javascript: URL in a template must not run on the page. */
  function safeUrl(url) {
    try {
      var parsed = new URL(url, document.baseURI);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (invalid) {
      return null;
    }
  }

  function addStyle() {
    if (document.getElementById("kizuna-nudge-style")) return;
    var style = document.createElement("style");
    style.id = "kizuna-nudge-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  global.Kizuna = global.Kizuna || {};
  global.Kizuna.nudges = nudges;
})(window);
