"""Every form drawn with Bootstrap's classes, without touching each form: the renderer hands
each field a BoundField that adds the class its widget needs, and marks a field in error."""

from django import forms
from django.forms.renderers import TemplatesSetting


def _css_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, forms.HiddenInput):
        return ""
    return "form-control"


class BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [attrs.get("class", ""), _css_class(widget)]
        if self.form.is_bound and self.errors:
            classes.append("is-invalid")
            attrs["aria-invalid"] = "true"
            if self.auto_id:  # screen readers read the error with the field (once: Django
                # names it already where it builds aria-describedby itself)
                described = attrs.get("aria-describedby", "").split()
                if f"{self.auto_id}_error" not in described:
                    described.append(f"{self.auto_id}_error")
                attrs["aria-describedby"] = " ".join(described)
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        check = isinstance(self.field.widget, forms.CheckboxInput)
        attrs = {"class": "form-check-label" if check else "form-label", **(attrs or {})}
        # A label above its field needs no colon.
        return super().label_tag(contents, attrs, "" if label_suffix is None else label_suffix, tag)


class FormRenderer(TemplatesSetting):
    form_template_name = "laurel/forms/div.html"
    field_template_name = "laurel/forms/field.html"
    bound_field_class = BoundField
