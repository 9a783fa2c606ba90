// A tiny element builder. Text is always set with text nodes, never parsed as HTML, so any
// string that came from a user or the server renders as plain text.
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === "class") {
      el.className = String(value);
    } else if (key === "value" && "value" in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (key === "checked" && "checked" in el) {
      (el as HTMLInputElement).checked = Boolean(value);
    } else if (key === "disabled" && "disabled" in el) {
      (el as HTMLButtonElement).disabled = Boolean(value);
    } else if (key === "selected" && "selected" in el) {
      (el as HTMLOptionElement).selected = Boolean(value);
    } else if (key === "testid") {
      el.dataset.testid = String(value);
    } else if (!/^[a-zA-Z][a-zA-Z0-9:_-]*$/.test(key) || /^(style|srcdoc|src|href)$/i.test(key)) {
      throw new Error(`refusing attribute ${key}`);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces every child of `parent`, keeping the keyboard focus on the control with the same data-key. */
export function replaceChildren(parent: Element, ...children: (Child | Child[])[]): void {
  const active = document.activeElement as HTMLElement | null;
  const key = active && parent.contains(active) ? active.dataset.key : undefined;
  parent.replaceChildren();
  append(parent, children);
  if (key) {
    const again = parent.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    again?.focus();
  }
}

export function option(value: string, label: string, selected = false, disabled = false): HTMLOptionElement {
  return h("option", { value, selected, disabled }, label);
}

/** A label wrapping its control, so the control is named for assistive technology. */
export function field(label: string, control: HTMLElement, extraClass = ""): HTMLLabelElement {
  return h("label", { class: `field ${extraClass}`.trim() }, h("span", { class: "field-label" }, label), control);
}

let idCounter = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}
