// A confirmation step for destructive actions (End battle, Remove ship, the GM leaving): a modal
// <dialog> in the page, keyboard operable (focus starts on Cancel, Escape cancels), announced as a
// dialog to screen readers. window.confirm is not used: it blocks the page's updates and cannot be styled.
import { h } from "./dom";

let next = 0;

export function confirmAction(opts: { title: string; message: string; confirm: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = `confirm-title-${++next}`;
    const yes = h("button", { type: "button", class: "danger", testid: "confirm-yes" }, opts.confirm);
    const no = h("button", { type: "button", testid: "confirm-no" }, "Cancel");
    const dialog = h("dialog", { class: "confirm", testid: "confirm-dialog", "aria-labelledby": titleId },
      h("h3", { id: titleId }, opts.title), h("p", {}, opts.message), h("div", { class: "row" }, no, yes));
    let settled = false;
    const done = (value: boolean) => {
      if (settled) return;
      settled = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(value);
    };
    yes.addEventListener("click", () => done(true));
    no.addEventListener("click", () => done(false));
    dialog.addEventListener("cancel", (ev) => { ev.preventDefault(); done(false); });
    document.body.appendChild(dialog);
    dialog.showModal();
    no.focus();
  });
}
