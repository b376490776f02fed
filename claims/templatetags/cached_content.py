"""`{% cachedcontent %}…{% endcachedcontent %}`: a page's main content, rendered once per data version.

With the context of `claims.pagecache.CachedContentMixin`: shows `cached_content` when the view found it,
else renders its content and stores it under `content_cache_key` (none: render only).
"""

from django import template
from django.utils.safestring import mark_safe

from claims.pagecache import store_content

register = template.Library()


class CachedContentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        cached = context.get("cached_content")
        if cached is not None:
            return mark_safe(cached)  # our own rendered content, stored by the branch below
        content = self.nodelist.render(context)
        key = context.get("content_cache_key")
        if key:
            store_content(key, str(content))
        return content


@register.tag
def cachedcontent(parser, token):
    nodelist = parser.parse(("endcachedcontent",))
    parser.delete_first_token()
    return CachedContentNode(nodelist)
