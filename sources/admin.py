"""Admin for reports and sources, as far as `sources` knows them, and the no-lost-updates admin.

`sources` never imports `claims`: what an analyst needs beside a report or a
source is the evidence it carries, so `claims.admin` extends these classes
with it and registers them.
"""

import unicodedata
from decimal import Decimal
from pathlib import PurePath
from urllib.parse import quote

from django import forms
from django.conf import global_settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models, router, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from claimtracker.history import ReadableHistoryAdmin
from claimtracker.versioning import StaleEdit, check_version
from sources import documents
from sources.models import BODY_LIMIT, Report, ReportDerivation


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a save over someone else's later change is refused.

    Reverting to a historical version starts from an old version on purpose:
    then the version carried is the stored row's, so a revert is refused only
    when someone changed the row after the revert page opened.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reverting = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            version = self.instance.version
            if self.reverting:
                stored = type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True)
                version = stored.first() or version
            self.fields["loaded_version"].required = True
            self.fields["loaded_version"].initial = version

    def check_version(self, version: int) -> None:
        """Raise StaleEdit when the stored row is no longer at `version`."""
        check_version(self.instance, version)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            try:
                self.check_version(loaded)
            except StaleEdit as stale:
                raise ValidationError(str(stale), code="stale") from None
        return cleaned


class NoLostUpdatesAdmin(ReadableHistoryAdmin):
    """Edits that never overwrite someone else's: the second of two concurrent saves is refused.

    The form refuses a stale version early, with who changed what; the
    service's compare-and-swap (`claimtracker.versioning`) refuses it again
    at the write, closing the race. Subclasses save through `save_checked`.
    """

    form = VersionedForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.reverting = getattr(request, "reverting_history", False)
        return form

    def save_model(self, request, obj, form, change):
        self.save_checked(request, obj, form.cleaned_data.get("loaded_version") if change else None)

    def save_checked(self, request, obj, version: int | None) -> None:
        """Save `obj` through its service, which refuses it if the stored row is no longer at `version`."""
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            # Lost the race between the form's check and the save: nothing was written.
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's revert view runs outside the transaction changeform_view opens: the
        # service's writes need one, and a lost race is reported as on the change page.
        request.reverting_history = True
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleEdit as stale:
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)


class LinkInline(admin.TabularInline):
    """Links from the row on the page to others of its kind: a kind, the other row, a narrow note box
    (which keeps each row, and its Delete box, within a laptop screen)."""

    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class DerivationInline(LinkInline):
    """What this report derives from: the reports it relays, quotes, translates or summarises."""

    model = ReportDerivation
    fk_name = "report"
    autocomplete_fields = ["original"]
    fields = ["kind", "original", "note"]
    verbose_name = _("derives from")
    verbose_name_plural = _("derives from (relays, quotes, translates, summarises)")


class ReportTextField(forms.CharField):
    """A report's text as pasted: normalised (`documents.normalise_text`) before it is validated, so that the
    NUL or carriage return a paste brings along is removed rather than refused or kept."""

    def to_python(self, value):
        value = super().to_python(value)
        return documents.normalise_text(value) if value else value


def languages() -> list[tuple[str, str]]:
    """Every language Django names, by its name in the reader's language ("French (fr)", "Français (fr)"), in
    alphabetical order: the proposed attributions read French and English (`claims.extraction`)."""
    named = [(code, f"{gettext(name)} ({code})") for code, name in global_settings.LANGUAGES]
    return sorted(named, key=lambda choice: unicodedata.normalize("NFKD", choice[1]).casefold())


_MB = 1_000_000


def _size(size: int) -> str:
    """A file's size as people read it: "5 MB", "1.2 MB", "812 bytes" (in French "1,2 Mo", "812 octets")."""
    if size >= _MB // 10:
        return gettext("%(size)s MB") % {"size": number_format(Decimal(f"{round(size / _MB, 1):g}"))}
    return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": number_format(size, force_grouping=True)}


def _body_help_text() -> str:
    return gettext(
        "Paste the report's text here, or upload it below (%(limit)s characters at most). Quotes are anchored in "
        "it as it is: line endings, spaces at the end of lines and control characters are cleaned, the typography "
        "(’ « » non-breaking spaces) is kept."
    ) % {"limit": number_format(BODY_LIMIT, force_grouping=True)}


def _document_help_text() -> str:
    return gettext(
        ".txt or .html, %(limit)s at most; read as UTF-8 or Windows-1252. A web page is reduced to its article "
        "text, and the file is kept as the report's original."
    ) % {"limit": _size(documents.UPLOAD_LIMIT)}


class ReportAddForm(VersionedForm):
    """A new report from its text pasted, or from a .txt or .html file (`sources.documents` reads it).

    A page is reduced to its article text and kept whole as the report's
    original; the title, date, outlet, author and address left blank are
    taken from its metadata when it has them. A file input cannot be filled
    again: when the form comes back with an error, what the file gave (its
    text, the file itself, its metadata) comes back in the other fields.
    """

    body = ReportTextField(
        required=False,
        label=_("Text"),
        widget=AdminTextareaWidget(attrs={"rows": 14}),
        help_text=lazy(_body_help_text, str)(),
    )
    document = forms.FileField(
        required=False,
        label=_("or upload a file"),
        widget=forms.FileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
        help_text=lazy(_document_help_text, str)(),
    )
    language = forms.ChoiceField(
        choices=languages,
        initial="fr",
        label=_("Language"),
        help_text=_("The text's language: attributions are proposed in French and English."),
    )
    # What an uploaded file gave, carried when the form comes back with an error (`_carry`).
    file_text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    file_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    file_type = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    # Filled from a page's metadata when left blank, so required only after reading it (`clean`).
    FROM_METADATA = {"title": "title", "outlet": "site", "published": "published", "author": "author", "url": "url"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "outlet", "published"):
            self.fields[name].required = False
        self.read_note = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("document") is not None:
            self._read(cleaned["document"], cleaned)
        elif not cleaned.get("file_text"):
            cleaned["file_name"] = cleaned["file_type"] = ""
        body = cleaned.get("body")
        if not self.has_error("body") and not self.has_error("document"):
            if not body:
                self.add_error(
                    "body", gettext("The text is empty: paste the report's text, or upload a .txt or .html file.")
                )
            elif len(body) > BODY_LIMIT:
                self.add_error(
                    "body",
                    gettext(
                        "The text is %(length)s characters long; a report holds %(limit)s at most. "
                        "Split it into parts, or keep an analyst's excerpt (“text held”)."
                    )
                    % {
                        "length": number_format(len(body), force_grouping=True),
                        "limit": number_format(BODY_LIMIT, force_grouping=True),
                    },
                )
        for name in ("title", "outlet", "published"):
            if cleaned.get(name) in (None, "") and not self.has_error(name):
                self.add_error(name, forms.Field.default_error_messages["required"])
        self.instance.original = cleaned.get("file_text", "")
        self.instance.original_name = cleaned.get("file_name", "")
        self.instance.original_type = cleaned.get("file_type", "")
        return cleaned

    def _read(self, document, cleaned) -> None:
        """Read the uploaded file into the cleaned data (its text, itself, its metadata), or say why not."""
        name = PurePath(document.name).name
        suffix = PurePath(name).suffix.lower()
        if suffix not in documents.UPLOAD_EXTENSIONS:
            self.add_error(
                "document",
                gettext("“%(name)s” is not a .txt or .html file: upload one of those, or paste the text.")
                % {"name": name},
            )
            return
        if document.size > documents.UPLOAD_LIMIT:
            self.add_error(
                "document",
                gettext(
                    "“%(name)s” is %(size)s; a file of %(limit)s at most is taken. Paste the article's text instead."
                )
                % {"name": name, "size": _size(document.size), "limit": _size(documents.UPLOAD_LIMIT)},
            )
            return
        if cleaned.get("body") and not cleaned.get("file_text"):
            self.add_error("document", gettext("Paste the text or upload a file, not both: clear one of them."))
            return
        html = documents.UPLOAD_EXTENSIONS[suffix] == "text/html"
        try:
            decoded = documents.decode(document.read(), name=name, html=html)
            page = documents.read_html(decoded.text) if html else None
        except documents.Unreadable as unreadable:
            self.add_error("document", str(unreadable))
            return
        cleaned["body"] = page.text if page else documents.normalise_text(decoded.text)
        cleaned["file_text"], cleaned["file_name"] = decoded.text, name
        cleaned["file_type"] = f"{documents.UPLOAD_EXTENSIONS[suffix]}; charset={decoded.encoding}"
        taken = self._take_metadata(page, cleaned) if page else []
        self.read_note = (
            gettext("Read “%(name)s” as %(encoding)s") % {"name": name, "encoding": decoded.encoding_name}
            + (gettext("; its article text kept as the report's text, the page as its original") if html else "")
            + (gettext("; %(fields)s taken from the page's metadata") % {"fields": ", ".join(taken)} if taken else "")
            + "."
        )
        self._carry(cleaned, ["body", "file_text", "file_name", "file_type", *self.FROM_METADATA])

    def _take_metadata(self, page: documents.HtmlText, cleaned) -> list[str]:
        """Fill the blank fields the page's metadata has a value for; the names of those filled."""
        taken = []
        for name, attribute in self.FROM_METADATA.items():
            value = getattr(page, attribute)
            if cleaned.get(name) or not value or self.has_error(name):
                continue
            if name == "url":
                try:
                    URLValidator(schemes=["http", "https"])(value)
                except ValidationError:
                    continue
            if isinstance(value, str):
                value = value[: Report._meta.get_field(name).max_length]
            cleaned[name] = value
            taken.append(str(Report._meta.get_field(name).verbose_name))
        return taken

    def _carry(self, cleaned, names: list[str]) -> None:
        """Put what the file gave in the form's data, so that a form shown again with an error shows it."""
        data = self.data.copy()
        for name in names:
            value = cleaned.get(name)
            data[self.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        self.data = data


class ReportAdmin(NoLostUpdatesAdmin):
    add_form = ReportAddForm
    add_fieldsets = [
        (None, {"fields": ["title", "outlet", "author", "published", "url", "kind", "tlp"]}),
        (
            _("Text"),
            {
                "description": _(
                    "Paste the text, or upload a .txt or .html file: a web page's title, date, outlet "
                    "and author fill the fields left blank above."
                ),
                "fields": ["language", "body", "document", "body_kind", "note", "file_text", "file_name", "file_type"],
            },
        ),
    ]
    inlines = [DerivationInline]
    list_display = ["title", "outlet", "published", "kind", "body_kind", "language"]
    # A URL typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", "body_kind", "language", "outlet"]
    search_fields = ["title", "outlet", "author", "body"]
    date_hierarchy = "published"
    readonly_fields = ["created_by", "created_at", "updated_at", "original_file"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "read_note", ""):
            self.message_user(request, form.read_note, messages.INFO)

    def get_urls(self):
        original = path(
            "<path:object_id>/original/",
            self.admin_site.admin_view(self.original_view),
            name="sources_report_original",
        )
        return [original, *super().get_urls()]

    @admin.display(description=_("original file"))
    def original_file(self, report):
        """Read-only: the file the text was read from, to download (never shown as a page: it may hold scripts)."""
        if not report.original:
            return gettext("None: the text was pasted, typed or loaded.")
        return format_html(
            '<a href="{}" download>{}</a> ({})',
            reverse("admin:sources_report_original", args=[report.pk]),
            report.original_name or pgettext("the file a report was read from", "original"),
            ngettext("%(type)s, %(length)s character", "%(type)s, %(length)s characters", len(report.original))
            % {"type": report.original_type, "length": number_format(len(report.original), force_grouping=True)},
        )

    def original_view(self, request, object_id):
        """The original file, as an attachment in plain text whatever it was (a page is never run here)."""
        report = self.get_object(request, unquote(object_id))
        if report is None or not report.original:
            raise Http404
        if not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        charset = "utf-8"
        response = HttpResponse(report.original.encode(charset), content_type=f"text/plain; charset={charset}")
        name = PurePath(report.original_name or f"report-{report.pk}.txt").name
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class SourceAdmin(NoLostUpdatesAdmin):
    list_display = ["label", "kind", "reliability", "anonymous", "side", "affiliation"]
    autocomplete_fields = ["same_as", "member_of"]
    list_filter = ["kind", "reliability", "anonymous", "side"]
    search_fields = ["label", "description", "affiliation", "side"]
