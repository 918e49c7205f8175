// Search as you type, for the header box and the /search/ page (templates/search/form.html).
// Loaded on the first focus in a search form by templates/search/loader.html; it then loads
// Pagefind's search code, and each query fetches only the index pieces its words need.
// Without JavaScript the same forms go to /search/, which lists topics and archives instead.

const HEADER_LIMIT = 5; // the header's dropdown shows the best few and links to the rest
const TYPING_PAUSE_MS = 200;

const forms = [...document.querySelectorAll("form[data-search-script]")];
const pagefind = await import(`${forms[0].dataset.searchBundle}pagefind.js`);
await pagefind.options({ excerptLength: 24 });
pagefind.init();

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// Pagefind's excerpt is the post's plain text with <mark> around the matched words. It is
// rebuilt here as text nodes and <mark> elements, so nothing in a post can become markup.
function excerptNodes(excerpt) {
  const nodes = [];
  excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    if (!part) return;
    const marked = part.match(/^<mark>(.*)<\/mark>$/);
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = marked[1].trimEnd(); // Pagefind's words can carry their trailing space
      nodes.push(mark, document.createTextNode(marked[1].slice(mark.textContent.length)));
    } else {
      nodes.push(document.createTextNode(part));
    }
  });
  return nodes;
}

// On /search/ each result is a heading (under the page's h1); in the header's dropdown, a link.
function resultItem(data, onPage) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const title = document.createElement(onPage ? "h2" : "p");
  title.className = "search-result-title";
  title.append(link);
  item.append(title);
  if (data.meta.date) {
    const date = document.createElement("time");
    if (data.meta.datetime) date.dateTime = data.meta.datetime;
    date.textContent = data.meta.date;
    item.append(date);
  }
  const excerpt = document.createElement("p");
  // An excerpt can start mid-sentence, right after a full stop: drop that stray punctuation.
  excerpt.append(...excerptNodes(data.excerpt.replace(/^[\s.,;:!?、。]+/, "")));
  item.append(excerpt);
  return item;
}

function setUp(form) {
  const input = form.querySelector("input[type=search]");
  const tag = form.querySelector("select[name=tag]");
  const status = form.querySelector(".search-status");
  const list = form.querySelector(".search-results");
  const onPage = form.hasAttribute("data-search-page");
  let current = 0; // the latest query; an older one that finishes late is dropped

  function close() {
    list.hidden = true;
    status.textContent = "";
  }

  async function run() {
    const query = input.value.trim();
    const filters = tag && tag.value ? { tag: tag.value } : {};
    const mine = ++current;
    if (onPage) {
      const address = new URL(location.href);
      address.searchParams.set("q", query);
      if (tag && tag.value) address.searchParams.set("tag", tag.value);
      else address.searchParams.delete("tag");
      history.replaceState(null, "", address);
    }
    if (!query) {
      close();
      return;
    }
    const search = await pagefind.debouncedSearch(query, { filters }, TYPING_PAUSE_MS);
    if (search === null || mine !== current) return; // a newer query replaced this one
    const shown = onPage ? search.results : search.results.slice(0, HEADER_LIMIT);
    const results = await Promise.all(shown.map((result) => result.data()));
    if (mine !== current) return;
    list.replaceChildren(...results.map((data) => resultItem(data, onPage)));
    if (!onPage && search.results.length > HEADER_LIMIT) {
      const more = document.createElement("li");
      more.className = "search-more";
      const link = document.createElement("a");
      link.href = `${form.action}?q=${encodeURIComponent(query)}`;
      link.textContent = `See all ${plural(search.results.length, "result")}`;
      more.append(link);
      list.append(more);
    }
    list.hidden = results.length === 0;
    status.textContent = results.length
      ? `${plural(search.results.length, "post")} found for “${query}”.`
      : `No posts found for “${query}”. Try another word, or browse the topics.`;
    // The address's query has its results: what was held back below them comes (css/search.css).
    form.classList.remove("search-pending");
  }

  // Held back until the address's query has results (templates/search/loader.html), or the
  // reader changes it: a move right after one's own input is expected.
  const changed = () => {
    form.classList.remove("search-pending");
    run();
  };
  input.addEventListener("input", changed);
  if (tag) tag.addEventListener("change", changed);
  if (onPage) {
    // /search/?q=…&tag=… is a link to a search: run it.
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    form.hidden = false;
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (tag && params.get("tag")) tag.value = params.get("tag");
  } else {
    // The dropdown: arrow keys move through the results, Escape closes it.
    form.addEventListener("keydown", (event) => {
      const links = [...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        close();
        input.focus();
      } else if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      }
    });
    form.addEventListener("focusout", (event) => {
      if (!form.contains(event.relatedTarget)) close();
    });
  }
  if (input.value.trim()) run(); // typed before this script arrived, or given in the address
}

forms.forEach(setUp);
