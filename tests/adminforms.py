"""Driving the admin as a browser does: read a rendered change form back into the POST it would send."""


def form_data(response) -> dict:
    """The POST a browser sends back for an unchanged admin change form: main form, inlines, management forms."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def inline_prefix(response, model) -> str:
    """The form prefix of the inline formset editing `model` on this change form."""
    return next(i.formset.prefix for i in response.context["inline_admin_formsets"] if i.formset.model is model)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
