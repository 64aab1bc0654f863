// The search dialog's accessible name (axe: aria-dialog-name). Material's search partial has
// no aria-label and Zensical's is another partial: set it here, the same under every engine.
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((el) => {
  el.setAttribute("aria-label", "Search");
});
