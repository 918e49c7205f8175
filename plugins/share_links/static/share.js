// The two share buttons that need JavaScript: copy the post's address, and the phone's own
// share sheet (Web Share API). Without JavaScript they stay hidden; the plain links still work.
(() => {
  const share = document.querySelector(".share[data-url]");
  if (!share) return;
  const { url, title } = share.dataset;
  const status = share.querySelector(".share-status");
  const copy = share.querySelector("[data-share-copy]");
  if (navigator.clipboard) {
    copy.closest("li").hidden = false;
    copy.addEventListener("click", () => navigator.clipboard.writeText(url).then(
      () => { status.textContent = "Link copied."; },
      () => { status.textContent = "The link could not be copied: copy it from the address bar."; },
    ));
  }
  const sheet = share.querySelector("[data-share-native]");
  if (navigator.share) {
    sheet.closest("li").hidden = false;
    sheet.addEventListener("click", () => navigator.share({ title, url }).catch(() => {}));
  }
})();
