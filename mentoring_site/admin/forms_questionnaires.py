"""The curator's forms for questionnaires, their questions and the consent text."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from ..compat import choice
from ..models import QuestionKind, QuestionnairePurpose
from .forms_base import AdminForm, not_blank


class LinesField(TextAreaField):
    """A list of strings, one per line (a question's options); blank lines dropped."""

    def _value(self) -> str:
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [" ".join(line.split()) for line in text.splitlines() if line.strip()]


class QuestionnaireForm(AdminForm):
    version = HiddenField()
    title = StringField("Название", validators=[not_blank, Length(max=300)])
    intro = TextAreaField("Вступление (Markdown)", validators=[Optional(), Length(max=5000)])
    purpose = SelectField("Назначение", choices=[
        choice(v, lb) for v, lb in QuestionnairePurpose.choices()])
    is_open = BooleanField("Открыта: принимает ответы на сайте")
    deadline = DateField("Принимать до (включительно)", validators=[Optional()])
    program_id = SelectField("Программа (для отзывов её участников)", coerce=int, default=0)
    sort = IntegerField("Порядок в списке", default=0, validators=[Optional()])


class QuestionForm(AdminForm):
    questionnaire_id = SelectField("Анкета", coerce=int)
    text = StringField("Вопрос", validators=[not_blank, Length(max=500)])
    help = StringField("Пояснение под вопросом", validators=[Optional(), Length(max=1000)])
    kind = SelectField("Вид ответа", choices=[choice(v, lb)
                                              for v, lb in QuestionKind.choices()])
    required = BooleanField("Обязательный")
    options = LinesField("Варианты ответа (каждый с новой строки; только для выбора из "
                         "списка)")
    sort = IntegerField("Порядок в анкете", default=0, validators=[Optional()])


class ConsentTextForm(AdminForm):
    text = TextAreaField("Текст согласия (Markdown)", validators=[not_blank,
                                                                  Length(max=20000)])


class AnswerStatusForm(AdminForm):
    version = HiddenField()
    status = HiddenField()


class BankForm(AdminForm):
    """An answer into the bank: ``action`` «new» or «merge» (into ``person_id`` as it was at
    ``person_version``); none: create, unless similar cards exist. The merged fields come as
    the checkboxes ``field`` (read by the view against the known names)."""

    action = HiddenField()
    person_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    person_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
