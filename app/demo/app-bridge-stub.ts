/**
 * A stand-in for Shopify's App Bridge script, for demo mode only (served at
 * /demo/app-bridge.js). The real script runs inside the Shopify admin: it gives the page
 * a fresh session token on request and adds it to the app's own fetches, shows toasts,
 * and draws the navigation menu in the admin. This does the same with local means:
 * tokens come from /demo/token, toasts and the menu are drawn on the page itself.
 */
export const APP_BRIDGE_STUB = String.raw`(function () {
  "use strict";
  if (window.shopify && window.shopify.__demo) return;
  var script = document.currentScript;
  var apiKey = (script && script.getAttribute("data-api-key")) || "";
  var realFetch = window.fetch.bind(window);
  var cached = null;
  var pending = null;

  function idToken() {
    if (cached && cached.expiresAt - Date.now() > 10000) return Promise.resolve(cached.token);
    if (!pending) {
      pending = realFetch("/demo/token", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("Demo session token: HTTP " + response.status);
          return response.json();
        })
        .then(function (body) {
          cached = { token: body.token, expiresAt: Date.parse(body.expiresAt) };
          return body.token;
        })
        .finally(function () {
          pending = null;
        });
    }
    return pending;
  }

  // As App Bridge does: the app's own requests carry the session token.
  window.fetch = function (input, init) {
    var url;
    try {
      url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href);
    } catch (error) {
      return realFetch(input, init);
    }
    if (url.origin !== location.origin || url.pathname.indexOf("/demo/") === 0) return realFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return realFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  var style = document.createElement("style");
  style.textContent = [
    "ui-nav-menu{display:flex;flex-wrap:wrap;gap:4px;padding:8px 16px;background:#1a1a1a}",
    "ui-nav-menu a{color:#e3e3e3;text-decoration:none;padding:6px 12px;border-radius:8px;font:500 13px/20px -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif}",
    "ui-nav-menu a:hover,ui-nav-menu a:focus-visible{background:#303030;color:#fff}",
    ".demo-toast{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:10000;background:#1a1a1a;color:#fff;padding:12px 16px;border-radius:12px;font:500 14px/20px -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;box-shadow:0 8px 16px rgba(0,0,0,.2)}",
    ".demo-toast[data-error=true]{background:#8e1f0b}",
    ".demo-toast-action{margin-left:16px;background:none;border:1px solid #fff;border-radius:8px;color:#fff;padding:2px 8px;font:inherit;cursor:pointer}",
  ].join("\n");
  document.head.appendChild(style);

  var toasts = 0;
  window.shopify = {
    __demo: true,
    config: { apiKey: apiKey, shop: __SHOP__, locale: "en" },
    idToken: idToken,
    loading: function () {},
    toast: {
      show: function (message, options) {
        var el = document.createElement("div");
        var id = "demo-toast-" + ++toasts;
        el.id = id;
        el.className = "demo-toast";
        el.setAttribute("role", options && options.isError ? "alert" : "status");
        if (options && options.isError) el.setAttribute("data-error", "true");
        el.textContent = message;
        if (options && options.action) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "demo-toast-action";
          button.textContent = options.action;
          button.onclick = function () {
            el.remove();
            if (options.onAction) options.onAction();
          };
          el.appendChild(button);
        }
        document.body.appendChild(el);
        setTimeout(function () {
          el.remove();
        }, (options && options.duration) || 5000);
        return id;
      },
      hide: function (id) {
        var el = document.getElementById(id);
        if (el) el.remove();
      },
    },
  };

  // The bounce page (/auth/session-token): reload the page it names, with a token, as the admin would.
  if (location.pathname === "/auth/session-token") {
    var reload = new URLSearchParams(location.search).get("shopify-reload");
    if (reload) {
      idToken().then(function (token) {
        var target = new URL(reload, location.href);
        if (target.origin !== location.origin) return;
        target.searchParams.set("id_token", token);
        location.replace(target.href);
      });
    }
  }
})();
`;

export function appBridgeStub(shop: string): string {
  return APP_BRIDGE_STUB.replace("__SHOP__", JSON.stringify(shop));
}
