"""``{% calendar_feed_panel member %}``: My duties' "Add to calendar" (``feeds/_member_panel.html``).

A tag, not a value the My duties view puts in its context, so that the dependency points one way: the feeds
read the plan (``assignments``), and ``assignments`` knows nothing of the feeds. It runs the panel's one query
(``member_feed_panel``), where the view ran it before.
"""

from django import template

from ..selectors import member_feed_panel

register = template.Library()


@register.inclusion_tag("feeds/_member_panel.html", takes_context=True)
def calendar_feed_panel(context: template.Context, member) -> dict:
    return {"calendar_feed": member_feed_panel(member=member, request=context["request"])}
