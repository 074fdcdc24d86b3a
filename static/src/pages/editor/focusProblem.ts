/** Moves to the field a validation problem concerns, in the details panel (`task-panel` or `settings-panel`). */
import { formatLoc, type Segment } from "../../lib/validationPaths";

/** A value inside a double-quoted attribute selector. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, "\\$&")}"`;

/** Selectors of the field `loc` names, most precise first: an input (`data-field`, nested ones too), then a setting. */
function candidates(loc: readonly Segment[]): string[] {
  const out: string[] = [];
  if (loc[0] === "inputs") for (let n = loc.length; n > 1; n--) out.push(`[data-field=${quoted(formatLoc(loc.slice(1, n)))}]`);
  else for (let n = loc.length; n > 0; n--) out.push(`[data-setting=${quoted(formatLoc(loc.slice(0, n)))}]`);
  out.push("[data-invalid]");
  return out;
}

/** After the panel has rendered (next frame, twice: the tab switch, then the revealed problem), scrolls the field into view and focuses it. */
export function focusProblem(panelTestId: string, loc: readonly Segment[]): void {
  const run = () => {
    const panel = document.querySelector(`[data-testid="${panelTestId}"]`);
    if (!panel) return;
    let field: Element | null = null;
    for (const selector of candidates(loc)) {
      field = panel.querySelector(selector);
      if (field) break;
    }
    if (!(field instanceof HTMLElement)) return;
    if (typeof field.scrollIntoView === "function") field.scrollIntoView({ block: "center" }); // jsdom has none
    // The value's box rather than the field's source select (value / run parameter / upstream output).
    const control = field.matches("input, select, textarea, button")
      ? field
      : (field.querySelector<HTMLElement>("input:not([type=hidden]), textarea") ?? field.querySelector<HTMLElement>("select, button"));
    control?.focus({ preventScroll: true });
  };
  window.requestAnimationFrame(() => window.requestAnimationFrame(run));
}
