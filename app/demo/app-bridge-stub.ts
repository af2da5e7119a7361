/**
 * A stand-in for Shopify's App Bridge script, for demo mode only (served at
 * /demo/app-bridge.js). The real script runs inside the Shopify admin: it gives the page
 * a fresh session token on request and adds it to the app's own fetches, shows toasts,
 * and draws the navigation menu in the admin. This does the same with local means:
 * tokens come from /demo/token; toasts, the menu, the title bar and the save bar are drawn
 * on the page itself.
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
    // The admin's title bar shows the page's title; its buttons are App Bridge's to draw.
    "ui-title-bar{display:block;padding:10px 16px;background:#ebebeb;border-bottom:1px solid #d4d4d4;font:650 14px/20px -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#303030}",
    "ui-title-bar::before{content:attr(title)}",
    "ui-title-bar>*,ui-save-bar>*{display:none}",
    ".demo-save-bar{position:fixed;top:0;left:0;right:0;z-index:9999;display:flex;align-items:center;justify-content:space-between;gap:8px;padding:8px 16px;background:#1a1a1a;color:#e3e3e3;font:500 14px/20px -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif}",
    ".demo-save-bar button{font:inherit;padding:4px 12px;border-radius:8px;border:1px solid #616161;background:#303030;color:#fff;cursor:pointer}",
    ".demo-save-bar button[data-primary]{background:#fff;color:#1a1a1a;border-color:#fff}",
  ].join("\n");
  document.head.appendChild(style);

  // <ui-save-bar>: shown while a form has unsaved changes; its Save and Discard press the
  // element's own buttons (variant="primary" is Save), as the admin's save bar does.
  if (window.customElements && !customElements.get("ui-save-bar")) {
    customElements.define(
      "ui-save-bar",
      class extends HTMLElement {
        show() {
          if (this._bar) return;
          var self = this;
          var bar = document.createElement("div");
          bar.className = "demo-save-bar";
          bar.setAttribute("role", "region");
          bar.setAttribute("aria-label", "Save bar");
          var label = document.createElement("span");
          label.textContent = "Unsaved changes";
          var actions = document.createElement("span");
          ["discard", "save"].forEach(function (kind) {
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = kind === "save" ? "Save" : "Discard";
            if (kind === "save") button.setAttribute("data-primary", "");
            button.addEventListener("click", function () {
              var own = Array.prototype.filter.call(self.querySelectorAll("button"), function (b) {
                return (b.getAttribute("variant") === "primary") === (kind === "save");
              })[0];
              if (own) own.click();
            });
            actions.appendChild(button);
          });
          bar.appendChild(label);
          bar.appendChild(actions);
          document.body.insertBefore(bar, document.body.firstChild);
          this._bar = bar;
          this.dispatchEvent(new Event("show"));
        }
        hide() {
          if (!this._bar) return;
          this._bar.remove();
          this._bar = null;
          this.dispatchEvent(new Event("hide"));
        }
        toggle() {
          if (this._bar) this.hide();
          else this.show();
        }
        get showing() {
          return Boolean(this._bar);
        }
        disconnectedCallback() {
          this.hide();
        }
      },
    );
  }
  function saveBar(id) {
    var el = document.getElementById(id);
    return el && typeof el.show === "function" ? el : null;
  }

  var toasts = 0;
  window.shopify = {
    __demo: true,
    config: { apiKey: apiKey, shop: __SHOP__, locale: "en" },
    idToken: idToken,
    loading: function () {},
    saveBar: {
      show: function (id) {
        var el = saveBar(id);
        if (el) el.show();
        return Promise.resolve();
      },
      hide: function (id) {
        var el = saveBar(id);
        if (el) el.hide();
        return Promise.resolve();
      },
      toggle: function (id) {
        var el = saveBar(id);
        if (el) el.toggle();
        return Promise.resolve();
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
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
