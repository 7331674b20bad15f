"""Waiting for htmx in browser tests."""


def settled(page):
    """Wait until htmx has swapped and settled: new content is bound to its hx- attributes only when the
    settle step runs (about 20 ms after the swap), so acting on it earlier sends no request."""
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
