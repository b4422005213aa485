"""Form plumbing shared by every admin screen: CSRF with a kind message, text checks."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import ValidationError

from ..db import BadText, check_text

CSRF_EXPIRED = (
    "Страница была открыта слишком долго, и её защитный ключ устарел. Ваш текст сохранён "
    "в форме ниже — проверьте его и нажмите «Сохранить» ещё раз."
)


class AdminForm(FlaskForm):
    """Every admin form: CSRF-protected, and no field may hold control characters."""

    class Meta:
        csrf_time_limit = 3600

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str):
                try:
                    check_text(field.data, field.name)
                except BadText as exc:
                    field.errors = [*field.errors, str(exc)]
                    ok = False
        return ok

    @property
    def csrf_failed(self) -> bool:
        field = getattr(self, "csrf_token", None)
        return bool(field is not None and field.errors)

    def csrf_message(self) -> str | None:
        if not self.csrf_failed:
            return None
        return CSRF_EXPIRED


def not_blank(_form, field) -> None:
    if not (field.data or "").strip():
        raise ValidationError("Заполните это поле.")


def with_ids(form, prefix: str):
    """Give a form's fields page-unique ids (several small forms share one page) while
    their names stay the same, so labels point at the right inputs."""
    for f in form:
        f.id = f"{prefix}-{f.name}"
        f.label.field_id = f.id
    return form
