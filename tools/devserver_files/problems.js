// Added by the preview only (make devserver), never part of a build: the problems the last build
// found in this page's file, on top of the page, with a link to the list of all the site's
// problems. Nothing is shown when the site has none. The page reloads after every build
// (reload.js), and this asks again.
(() => {
  const LIST = "/__devserver/problems";
  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

  function element(name, attributes = {}, ...children) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    node.append(...children);
    return node;
  }

  // One problem, in the words the terminal prints: "content/posts/x.md, line 8: what to do" (a
  // problem of a whole file, such as a picture of the wrong kind, has no line: 0).
  const item = (problem) =>
    element("li", {}, element("strong", {}, `${problem.file}${problem.line ? `, line ${problem.line}` : ""}:`),
            ` ${problem.what} ${problem.fix}`);

  function box(answer) {
    const own = answer.problems;
    const title = own.length
      ? `Preview: ${plural(own.length, "problem")} in ${own[0].file}`
      : `Preview: ${plural(answer.total, "problem")} in the site`;
    const region = element("div", { class: "devserver-problems", role: "region",
      "aria-labelledby": "devserver-problems-title" },
      element("p", { class: "devserver-problems-title", id: "devserver-problems-title" }, element("strong", {}, title)));
    if (own.length) region.append(element("ul", {}, ...own.map(item)));
    region.append(
      element("p", {}, element("a", { href: LIST }, `List of all ${plural(answer.total, "problem")} in the site`)),
      element("p", { class: "devserver-problems-note" },
        "Only the preview shows this box. Fix the file and save it: this page reloads."));
    return region;
  }

  function show(answer) {
    const done = () => { document.documentElement.dataset.devserverProblems = String(answer.total); };
    if (!answer.total) return done();
    const style = element("link", { rel: "stylesheet", href: "/__devserver/problems.css" });
    style.addEventListener("load", () => {
      const skip = document.querySelector("body > .skip-link");
      if (skip) skip.after(box(answer));
      else document.body.prepend(box(answer));
      done();
    });
    document.head.append(style);
  }

  fetch(`/__devserver/problems.json?page=${encodeURIComponent(location.pathname)}`, { cache: "no-store" })
    .then((response) => response.json())
    .then(show)
    .catch(() => {}); // the preview has stopped: nothing to show
})();
