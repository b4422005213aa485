"""The curator's forms for consents a person signs: the consent to dissemination with the
pupil's representative, the representative typed on the print page (not stored), and the
written consent to take part in a programme (a date and a private scan)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..db import BadText, check_text
from .forms import ConsentForm
from .forms_base import AdminForm

REPRESENTATIVE_HELP = "Для обучающегося: кто подписывает согласие за него."


class RepresentedConsentForm(ConsentForm):
    """The consent to dissemination; a pupil's is signed by a parent (152-ФЗ ст. 9 ч. 6)."""

    representative_name = StringField(
        "Родитель (законный представитель): фамилия, имя, отчество",
        validators=[Optional(), Length(max=300)], description=REPRESENTATIVE_HELP, default="")
    representative_document = StringField(
        "Документ, подтверждающий полномочия представителя",
        validators=[Optional(), Length(max=300)], default="",
        description="Например: свидетельство о рождении, серия и номер.")


class PrintRepresentativeForm(FlaskForm):
    """Typed on the print page for this printout only (a GET form: no CSRF, nothing
    stored); the values recorded with the newest consent fill it by default."""

    class Meta:
        csrf = False

    predstavitel = StringField("Родитель (законный представитель): фамилия, имя, отчество",
                               validators=[Optional(), Length(max=300)])
    dokument = StringField("Документ, подтверждающий полномочия представителя",
                           validators=[Optional(), Length(max=300)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in (self.predstavitel, self.dokument):
            try:
                check_text(field.data, field.name)
            except BadText as exc:
                field.errors = [*field.errors, str(exc)]
                ok = False
        return ok

    def typed(self) -> dict[str, str]:
        """What the documents receive; nothing when the form is not valid."""
        if not self.validate():
            return {}
        return {"name": (self.predstavitel.data or "").strip(),
                "document": (self.dokument.data or "").strip()}


class WrittenConsentForm(AdminForm):
    """Положение 3.2–3.3: the written consent to take part, per programme."""

    written_consent_on = DateField("Дата письменного согласия",
                                   validators=[InputRequired("Укажите дату.")])
    file = FileField("Скан согласия (на сайте не показывается)")
    part_id: int | None = None  # the participation the form is about


class ProcessingAgreementForm(AdminForm):
    """The consent to processing for the banks (152-ФЗ ст. 9): dates, the paper, the pupil's
    representative. It does not change what the site shows; its withdrawal removes the
    person's questionnaire answers."""

    signed_on = DateField("Дата подписания", validators=[InputRequired("Укажите дату.")])
    withdrawn_on = DateField(
        "Отозвано", validators=[Optional()],
        description="Дата отзыва: ответы человека на анкеты будут удалены.")
    document_ref = StringField("Где хранится подписанное согласие (номер, дата)", default="",
                               validators=[Optional(), Length(max=200)])
    representative_name = StringField(
        "Родитель (законный представитель): фамилия, имя, отчество",
        validators=[Optional(), Length(max=300)], description=REPRESENTATIVE_HELP, default="")
    representative_document = StringField(
        "Документ, подтверждающий полномочия представителя",
        validators=[Optional(), Length(max=300)], default="",
        description="Например: свидетельство о рождении, серия и номер.")
    scan = FileField("Скан подписанного согласия (PDF и др.; на сайте не показывается)")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        withdrawn, signed = self.withdrawn_on, self.signed_on
        if withdrawn.data and signed.data and withdrawn.data < signed.data:
            withdrawn.errors = [*withdrawn.errors, "Эта дата не может быть раньше подписания."]
            ok = False
        return ok
