// Added by the preview only (make devserver): reload this page when the site has been rebuilt.
(() => {
  let build = null;
  new EventSource("/__devserver/events").onmessage = (event) => {
    if (build !== null && event.data !== build) location.reload();
    build = event.data;
  };
})();
