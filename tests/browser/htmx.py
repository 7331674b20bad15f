"""Waiting for htmx in browser tests."""


def settled(page):
    """Wait until htmx has swapped and settled: new content is bound to its hx- attributes only when the
    settle step runs (about 20 ms after the swap), so acting on it earlier sends no request. A locator, not
    ``wait_for_function``: the pages' Content-Security-Policy forbids evaluating a string as script."""
    from playwright.sync_api import expect  # here: the browser tests skip without Playwright

    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
