"""What every page visited in a browser journey must pass: axe (WCAG 2.1 A/AA) and no sideways scroll."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 A/AA, plus axe's best-practice "region": all content sits inside a landmark (a screen
# reader's landmark list must reach everything, the quick exit included).
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"region": {"enabled": True}},
    "resultTypes": ["violations"],
}
_axe = Axe()


def check_page(page, axe: bool = True) -> None:
    """Fail on any WCAG 2.1 A or AA violation, or on a page wider than the screen."""
    if axe:
        results = _axe.run(page, options=WCAG_21_AA)
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        assert problems == [], f"axe on {page.url}:\n" + "\n".join(problems)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit && !e.closest('.table-scroll'))
                .slice(0, 5)
                .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))""",
            viewport,
        )
        raise AssertionError(f"{page.url} scrolls sideways: {width}px wide in a {viewport}px screen: {wide}")
