/* Switchboard website-chat widget.
 *
 * Put this on any site:
 *   <script src="https://YOUR-SWITCHBOARD/widget.js" data-key="CHAT_KEY" async></script>
 * It adds a chat button in the bottom-right corner that opens the chat in a frame. The chat
 * page itself runs on the Switchboard origin; this script only creates the button and frame.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute("data-key");
  if (!key || !/^[A-Za-z0-9_-]+$/.test(key)) {
    console.warn("Switchboard widget: missing or invalid data-key");
    return;
  }
  var origin = new URL(script.src).origin;
  var open = false;

  var frame = document.createElement("iframe");
  frame.src = origin + "/chat/" + encodeURIComponent(key);
  frame.title = "Chat with us";
  frame.setAttribute("data-switchboard", "frame");
  frame.style.cssText =
    "position:fixed;right:20px;bottom:92px;width:min(380px,calc(100vw - 40px));" +
    "height:min(600px,calc(100vh - 120px));border:0;border-radius:16px;" +
    "box-shadow:0 12px 40px rgba(0,0,0,.2);z-index:2147483646;display:none;background:#fff";

  var button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-label", "Open chat");
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("data-switchboard", "button");
  button.style.cssText =
    "position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;" +
    "background:#1f5eff;color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(31,94,255,.45);" +
    "z-index:2147483647;display:flex;align-items:center;justify-content:center";
  button.innerHTML =
    '<svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" ' +
    'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' +
    '<path d="M4 5h16v11H8l-4 4V5z"/></svg>';

  button.addEventListener("click", function () {
    open = !open;
    frame.style.display = open ? "block" : "none";
    button.setAttribute("aria-expanded", String(open));
    button.setAttribute("aria-label", open ? "Close chat" : "Open chat");
  });

  function mount() {
    document.body.appendChild(frame);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
