"""Choosing a place as a user does: type part of its name into the chooser, pick the
suggestion that names it in full."""

from playwright.sync_api import Page, expect


def pick_place(page: Page, selector: str, typed: str, label: str) -> None:
    page.locator(selector).fill(typed)
    option = page.get_by_role("option", name=label, exact=True)
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(selector)).to_have_value(label)
