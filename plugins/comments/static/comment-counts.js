// In post lists, the number of comments beside each post, asked of the Isso server in one
// request (POST /count). Without JavaScript, or if the server does not answer, the links stay
// "Comments" and still lead to them.

const url = document.currentScript.dataset.url.replace(/\/$/, "");
const links = [...document.querySelectorAll("a.comment-count[data-thread]")];

function label(count) {
  return count === 0 ? "No comments yet" : count === 1 ? "1 comment" : `${count} comments`;
}

if (links.length) {
  fetch(`${url}/count`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(links.map((link) => link.dataset.thread)),
  })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((counts) => links.forEach((link, index) => { link.textContent = label(counts[index]); }))
    .catch(() => {}); // the plain "Comments" links are a fine fallback
}
