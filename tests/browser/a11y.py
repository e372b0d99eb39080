"""What the accessibility tests measure in the page: axe-core (from node_modules, never a CDN)
and the checks axe leaves to people: touch target sizes, reflow at 200 % text, contrast of text
axe cannot measure (pseudo-elements, links over background images), colour-only marks."""

from pathlib import Path
from typing import Any

from django.conf import settings

AXE_SOURCE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")

#: WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668-2019 asks for in substance.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations", "incomplete"],
}

FAILING_IMPACTS = {"serious", "critical"}


def axe_path() -> str:
    """axe-core's file for ``context.add_init_script``: every page of the context gets it."""
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"{AXE_SOURCE} is missing: `npm ci` installs it from package-lock.json")
    return str(AXE_SOURCE)


def run_axe(page: Any) -> dict[str, Any]:
    """axe's violations and incomplete ("needs review") results, reduced to what a report needs."""
    result = page.evaluate(
        """async (options) => {
          const r = await axe.run(document, options);
          const brief = (items) => items.map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => ({
              target: n.target.join(" "),
              summary: (n.failureSummary || (n.any[0] && n.any[0].message) || "").slice(0, 300),
            })),
          }));
          return {violations: brief(r.violations), incomplete: brief(r.incomplete)};
        }""",
        AXE_OPTIONS,
    )
    return dict(result)


#: Everything a thumb presses on a phone page, except links inside running text and table
#: cells (WCAG 2.5.5's "inline" exception) and check boxes / radios (their label is the target).
TOUCH_TARGETS = ", ".join(
    [
        "button",
        "select",
        "textarea",
        "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        "summary",
        ".button",
        ".mainnav a",
        ".tabs a",
        ".grids-tabs a",
        ".pagination a",
        ".tree__toggle",
        ".bell",
        ".nav-toggle__button",
    ]
)

SMALL_TARGETS_JS = """(selector) => {
  const small = [];
  const visible = (el) => el.checkVisibility({visibilityProperty: true}) &&
    !el.closest('.visually-hidden');
  const name = (el) => {
    const r = el.getBoundingClientRect();
    const classes = String(el.className).trim().replace(/\\s+/g, '.');
    const text = (el.textContent || el.value || '').trim().slice(0, 20);
    const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
    return `${el.tagName.toLowerCase()}.${classes} "${text}" ${size}`;
  };
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5) small.push(name(el));
  }
  for (const box of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
    const label = box.closest('label') ||
      (box.id && document.querySelector(`label[for="${box.id}"]`));
    const el = label || box;
    if (!visible(el) || box.classList.contains('nav-toggle')) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 43.5) small.push(name(el));
  }
  return small;
}"""


def small_touch_targets(page: Any) -> list[str]:
    return list(page.evaluate(SMALL_TARGETS_JS, TOUCH_TARGETS))


def overflow_at(page: Any, font_size: str) -> int:
    """How far the page sticks out sideways with the root text at ``font_size`` (0 = reflows)."""
    return int(
        page.evaluate(
            """(size) => {
              const root = document.documentElement, before = root.style.fontSize;
              root.style.fontSize = size;
              const over = root.scrollWidth - root.clientWidth;
              root.style.fontSize = before;
              return over;
            }""",
            font_size,
        )
    )


CONTRAST_JS = """([selector, pseudo]) => {
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    const white = {r: 255, g: 255, b: 255, a: 1};
    return layers.reverse().reduce((under, top) => over(top, under), white);
  };
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility()) continue;
    const style = getComputedStyle(el, pseudo || null);
    const text = pseudo ? style.content.replace(/^"|"$/g, '') : el.textContent.trim();
    if (!text || text === 'none') continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const px = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const need = px >= 24 || (bold && px >= 18.66) ? 3 : 4.5;  // WCAG large text needs 3:1
    const ratio = Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100;
    out.push({text: text.slice(0, 30), ratio, need});
  }
  return out;
}"""


def contrasts(page: Any, selector: str, pseudo: str = "") -> list[dict[str, Any]]:
    """Measured contrast of each visible element's text (or its ``::before`` content) against the
    background colours behind it, with the ratio WCAG asks of its size (``need``), for what axe
    reports as "cannot tell"."""
    return list(page.evaluate(CONTRAST_JS, [selector, pseudo]))


COLOUR_ONLY_JS = """() => {
  const words = {
    red: ['超期', '逾期', '红灯', 'overdue', 'Overdue', 'late'],
    yellow: ['到期', '预警', '黄灯', 'due soon', 'Due soon', 'Yellow'],
  };
  const bad = [];
  for (const mark of document.querySelectorAll('.deadline--red, .deadline--yellow')) {
    const kind = mark.classList.contains('deadline--red') ? 'red' : 'yellow';
    // the words may be in the mark, its row or card, or the column it sits in
    const scope = mark.closest('tr, .card, section, li') || mark;
    const cell = mark.closest('td, th');
    const table = cell && cell.closest('table');
    const head = table && table.querySelectorAll('thead th')[cell.cellIndex];
    const column = head ? head.textContent : '';
    const labels = Array.from(scope.querySelectorAll('[data-label]'), e => e.dataset.label);
    const said = [scope.textContent, column, ...labels].join(' ');
    if (!words[kind].some(w => said.includes(w))) bad.push(mark.outerHTML.slice(0, 120));
  }
  return bad;
}"""


def colour_only_marks(page: Any) -> list[str]:
    """Red and yellow deadline marks whose row, card or column says nothing in words."""
    return list(page.evaluate(COLOUR_ONLY_JS))
