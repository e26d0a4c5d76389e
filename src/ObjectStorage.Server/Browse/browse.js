// The browse page's only script: uploads a chosen file with fetch, sending the session's token.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload");
  if (!form) return;
  const base = document.querySelector('meta[name="browse-base"]').content;
  const token = document.querySelector('meta[name="browse-token"]')?.content ?? "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("file").files[0];
    const status = document.getElementById("status");
    if (!file) return;
    const key = form.dataset.prefix + (document.getElementById("name").value || file.name);
    status.textContent = "uploading…";
    const answer = await fetch(`${base}/put/${encodeURIComponent(form.dataset.bucket)}?key=${encodeURIComponent(key)}`, {
      method: "POST", body: file, headers: { "x-browse-token": token }, credentials: "same-origin",
    });
    if (answer.ok) location.reload();
    else status.textContent = `failed (${answer.status}): ${(await answer.text()).replace(/<[^>]*>/g, " ").trim()}`;
  });
});
