"""Head tags for search engines and link previews: canonical links, descriptions, JSON-LD."""

from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

from gard.discovery import metadata

register = template.Library()


class CaptureNode(template.Node):
    # Blocks inside are found by template inheritance through child_nodelists, so a child
    # template's {% block title %} is what gets captured.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered text is already escaped; only its whitespace is tidied.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """``{% capture name %}…{% endcapture %}``: render the contents once into ``name``, to use twice."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes one argument: the variable to set")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.simple_tag(takes_context=True)
def canonical_url(context, path, **params):
    """The absolute address of ``path`` with the parameters that make it a page of its own.

    Empty values are left out, and so is ``page=1``: the first page of a list is the list itself.
    """
    query = {name: value for name, value in params.items() if value not in (None, "") and (name, value) != ("page", 1)}
    address = path + ("?" + urlencode(query) if query else "")
    request = context.get("request")
    return request.build_absolute_uri(address) if request else address


@register.simple_tag(takes_context=True)
def disease_description(context, limit=metadata.DESCRIPTION_LENGTH):
    return metadata.disease_description(context["disease"], context["overview"], context["genes"], limit)


@register.simple_tag(takes_context=True)
def disease_json_ld(context):
    disease = context["disease"]
    url = context["request"].build_absolute_uri(disease.get_absolute_url())
    data = metadata.disease_json_ld(disease, context["overview"], context["genes"], url)
    return mark_safe(metadata.json_ld_script(data))


@register.filter
def shorten(text, limit=metadata.DESCRIPTION_LENGTH):
    return metadata.shorten(str(text), int(limit))
