// Comments load only when the reader asks: "Show comments", or scrolling down to them.
// Until then the page sends nothing to the comment service (templates/comments/section.html).

// The thread's styles (static/isso.css), by their fingerprinted address.
const stylesheetAddress = document.currentScript.dataset.stylesheet; // only known while this script first runs
const section = document.getElementById("comments");
const button = section.querySelector(".comments-show");
const url = section.dataset.url.replace(/\/$/, "");

// Each provider's embed: the script to add, with its settings as data attributes.
const embeds = {
  isso: () => [stylesheet(stylesheetAddress), script(`${url}/js/embed.min.js`, {
    isso: `${url}/`,
    issoCss: "false", // the theme styles the thread (static/isso.css, added above)
    issoLang: document.documentElement.lang || "en",
    issoVote: "false",
    issoAvatar: "false",
  })],
  disqus: () => {
    const thread = document.getElementById("disqus_thread");
    window.disqus_config = function () {
      this.page.url = thread.dataset.pageUrl;
      this.page.identifier = thread.dataset.pageId;
    };
    return script(`${url}/embed.js`, { timestamp: String(Date.now()) });
  },
  giscus: () => {
    const settings = { ...document.querySelector(".giscus").dataset, theme: "preferred_color_scheme" };
    return script(`${url}/client.js`, settings, { crossOrigin: "anonymous" });
  },
  cusdis: () => script(`${url}/js/cusdis.es.js`, {}),
};

function stylesheet(href) {
  return Object.assign(document.createElement("link"), { rel: "stylesheet", href });
}

function script(src, data, properties = {}) {
  const element = Object.assign(document.createElement("script"), { src, async: true }, properties);
  Object.assign(element.dataset, data);
  return element;
}

// Isso's comment box has a placeholder but no label: give it one for screen readers.
function labelIssoTextareas() {
  section.querySelectorAll("textarea.isso-textarea:not([aria-label])").forEach((box) => {
    box.setAttribute("aria-label", "Your comment");
  });
}
if (section.dataset.provider === "isso") {
  new MutationObserver(labelIssoTextareas).observe(section, { childList: true, subtree: true });
}

let observer = null;

function load() {
  if ("loaded" in section.dataset) return;
  section.dataset.loaded = "";
  if (observer) observer.disconnect();
  const hadFocus = document.activeElement === button;
  button.remove();
  section.append(...[embeds[section.dataset.provider]()].flat());
  if (hadFocus) section.focus(); // the button is gone: keep the keyboard reader in the section
}

button.hidden = false;
button.addEventListener("click", load);
// Scrolling close to the comments counts as asking for them; the page merely opening does not
// (a short post may show its comments section without any scrolling).
addEventListener("scroll", function watch() {
  removeEventListener("scroll", watch);
  observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) load();
  }, { rootMargin: "0px 0px 300px 0px" });
  observer.observe(section);
}, { passive: true });
