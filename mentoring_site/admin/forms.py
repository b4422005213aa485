"""The admin's forms, one per kind of content. Labels and messages in Russian."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from ..compat import Choice, choice
from ..models import (
    Direction,
    DocKind,
    DocLevel,
    EarlyEndReason,
    MaterialKind,
    NewsKind,
    PersonCategory,
    PersonKind,
    ProgramType,
    Role,
    Status,
)
from .forms_base import AdminForm, not_blank

MARKDOWN_HELP = (
    "Оформление Markdown: **жирный**, *курсив*, «- » в начале строки — список, "
    "## Заголовок, [текст ссылки](https://адрес). Пустая строка начинает новый абзац."
)
MAX_MARKDOWN = 50_000


def markdown_field(label: str, **kw) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_MARKDOWN)],
                         description=MARKDOWN_HELP, **kw)


def _enum_choices(enum_cls) -> list[Choice]:
    return [choice(value, label) for value, label in enum_cls.choices()]


class RelatedSelectField(SelectMultipleField):
    """Several rows of a list (a programme's directions), as their ids.

    ``crud.form_values`` passes the ids under the relationship's name; ``editing`` loads
    the rows.
    """

    def __init__(self, label: str, model: type, **kw):
        super().__init__(label, coerce=int, **kw)
        self.model = model

    def process_data(self, value) -> None:
        self.data = [getattr(v, "id", v) for v in value or []]


class PublishableForm(AdminForm):
    """Status and publication window; times are typed in the school's local time."""

    version = HiddenField()
    status = SelectField("Статус", choices=_enum_choices(Status), default=Status.DRAFT.value)
    published_at = DateTimeLocalField(
        "Опубликовать с", validators=[Optional()],
        description="Пусто — сразу. Дата в будущем — запись появится на сайте сама в это время.",
    )
    unpublish_at = DateTimeLocalField(
        "Снять с сайта", validators=[Optional()],
        description="Необязательно. В это время запись исчезнет с сайта сама.",
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        end, start = self.unpublish_at, self.published_at
        if end.data and start.data and end.data <= start.data:
            end.errors = [*end.errors, "Дата снятия должна быть позже даты публикации."]
            ok = False
        return ok


class NewsForm(PublishableForm):
    kind = SelectField("Вид", choices=_enum_choices(NewsKind), default=NewsKind.NEWS.value)
    title = StringField("Заголовок", validators=[not_blank, Length(max=300)])
    summary = TextAreaField("Кратко (для списка)", validators=[Optional(), Length(max=1000)])
    body = markdown_field("Текст")
    image = FileField("Картинка к новости")
    image_alt = StringField("Что на картинке", validators=[Optional(), Length(max=300)],
                            description="Коротко, для незрячих посетителей: например, "
                            "«Наставник и молодой учитель на открытом уроке».")
    remove_image = BooleanField("Убрать картинку")
    event_starts_at = DateTimeLocalField("Начало мероприятия", validators=[Optional()])
    event_ends_at = DateTimeLocalField("Окончание мероприятия", validators=[Optional()])
    event_place = StringField("Место проведения", validators=[Optional(), Length(max=300)])
    # Removed from the form when MENTORING_MENTOR_SCHOOL is off (admin/content.py).
    in_mentor_school = BooleanField(
        "Показывать анонс в «Школе наставничества»", default=True,
        description="Снимите отметку, если мероприятие не для наставников (например, "
        "родительское собрание): анонс останется в новостях, но не на странице Школы.")

    def validate(self, extra_validators=None) -> bool:
        # Checks across fields run here: an Optional() field skips its inline validators.
        ok = super().validate(extra_validators)
        start, end = self.event_starts_at, self.event_ends_at
        if self.kind.data == NewsKind.ANNOUNCEMENT.value and not start.data and not start.errors:
            start.errors = [*start.errors, "У анонса должны быть дата и время мероприятия."]
            ok = False
        if end.data and start.data and end.data < start.data:
            end.errors = [*end.errors, "Мероприятие не может закончиться раньше, чем начнётся."]
            ok = False
        return ok


class DocumentForm(PublishableForm):
    title = StringField("Название", validators=[not_blank, Length(max=500)])
    level = SelectField("Уровень", choices=_enum_choices(DocLevel))
    kind = SelectField("Вид документа", choices=_enum_choices(DocKind))
    number = StringField("Номер", validators=[Optional(), Length(max=60)])
    issued_on = DateField("Дата документа", validators=[Optional()])
    issuer = StringField("Кем принят", validators=[Optional(), Length(max=300)])
    upload = FileField("Файл документа")
    remove_file = BooleanField("Убрать приложенный файл")
    url = URLField("Ссылка на официальный текст", validators=[
        Optional(), Length(max=500), URL(message="Введите адрес, начинающийся с https://")])
    in_force = BooleanField("Действует", default=True)
    repealed_on = DateField("Утратил силу с", validators=[Optional()])
    sort = IntegerField("Порядок в списке", default=0,
                        validators=[Optional(), NumberRange(min=-10_000, max=10_000)])


class MaterialForm(PublishableForm):
    title = StringField("Название", validators=[not_blank, Length(max=500)])
    kind = SelectField("Раздел", choices=_enum_choices(MaterialKind))
    description = markdown_field("Описание")
    upload = FileField("Файл материала")
    remove_file = BooleanField("Убрать приложенный файл")
    url = URLField("Ссылка", validators=[
        Optional(), Length(max=500), URL(message="Введите адрес, начинающийся с https://")])


class PageForm(PublishableForm):
    title = StringField("Заголовок", validators=[not_blank, Length(max=300)])
    body = markdown_field("Текст страницы")
    sort = IntegerField("Порядок в меню", default=0,
                        validators=[Optional(), NumberRange(min=-10_000, max=10_000)])


class HonorForm(PublishableForm):
    title = StringField("Звание", validators=[not_blank, Length(max=200)],
                        description="Например: «Лучший наставник», «Лучшая пара»")
    year = IntegerField("Год", validators=[InputRequired("Укажите год."),
                                           NumberRange(min=2000, max=2100)])
    person_id = SelectField("Наставник", coerce=int)
    partner_id = SelectField("Пара (наставляемый)", coerce=int, default=0)
    citation = markdown_field("За что")


class ConfirmForm(AdminForm):
    """An empty form: a POST button with a CSRF token (delete, logout, ...)."""

    version = HiddenField()


class PersonForm(AdminForm):
    version = HiddenField()
    last_name = StringField("Фамилия", validators=[not_blank, Length(max=100)])
    first_name = StringField("Имя", validators=[not_blank, Length(max=100)])
    middle_name = StringField("Отчество", validators=[Optional(), Length(max=100)])
    kind = SelectField("Кто это", choices=_enum_choices(PersonKind))
    position = StringField("Должность", validators=[Optional(), Length(max=200)])
    subjects = StringField("Предметы", validators=[Optional(), Length(max=300)])
    qualification = StringField("Квалификационная категория",
                                validators=[Optional(), Length(max=100)])
    experience_years = IntegerField("Педагогический стаж, лет",
                                    validators=[Optional(), NumberRange(min=0, max=70)])
    bio = markdown_field("О себе")
    awards = markdown_field("Награды и достижения")
    in_mentor_bank = BooleanField("В базе наставников")
    in_mentee_bank = BooleanField("В базе наставляемых")
    categories = RelatedSelectField("Категории", PersonCategory, description="Можно выбрать "
                                    "несколько: молодой специалист, сменивший место работы…")


class ConsentForm(AdminForm):
    signed_on = DateField("Дата подписания", validators=[InputRequired("Укажите дату.")])
    valid_until = DateField("Действует до", validators=[Optional()],
                            description="Пусто — без срока (до отзыва).")
    withdrawn_on = DateField("Отозвано", validators=[Optional()],
                             description="Дата отзыва: с этого дня сведения скрываются везде.")
    allow_name = BooleanField("Фамилия, имя, отчество", default=True)
    allow_position = BooleanField("Должность, предметы, категория")
    allow_photo = BooleanField("Фотография")
    allow_bio = BooleanField("Сведения о себе")
    allow_experience = BooleanField("Стаж")
    allow_awards = BooleanField("Награды")
    # default "": a request without these fields (a script, an old form) saves them empty
    site_url = StringField("Адрес сайта в согласии", default="",
                           validators=[Optional(), Length(max=300)])
    conditions = TextAreaField("Условия и запреты, установленные человеком", default="",
                               validators=[Optional(), Length(max=5000)])
    document_ref = StringField("Где хранится подписанное согласие (номер, дата)", default="",
                               validators=[Optional(), Length(max=200)])
    scan = FileField("Скан подписанного согласия (PDF и др.; на сайте не показывается)")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for later in (self.valid_until, self.withdrawn_on):
            if later.data and self.signed_on.data and later.data < self.signed_on.data:
                later.errors = [*later.errors, "Эта дата не может быть раньше подписания."]
                ok = False
        return ok


class ProgramForm(AdminForm):
    version = HiddenField()
    title = StringField("Название программы", validators=[not_blank, Length(max=300)])
    form_id = SelectField("Форма наставничества", coerce=int)
    type = SelectField("Вид наставничества", choices=_enum_choices(ProgramType))
    directions = RelatedSelectField("Направления наставничества", Direction,
                                    description="Можно выбрать несколько.")
    goal = markdown_field("Цель и задачи")
    starts_on = DateField("Начало", validators=[InputRequired("Укажите дату начала.")])
    planned_end_on = DateField("Окончание (по плану)",
                               validators=[InputRequired("Укажите дату окончания.")],
                               description="От 3 месяцев до 1 года от начала.")
    order_number = StringField("Приказ о закреплении: номер",
                               validators=[Optional(), Length(max=50)])
    order_date = DateField("Приказ о закреплении: дата", validators=[Optional()])
    results = markdown_field("Результаты (публикуются после завершения)")
    conclusions = TextAreaField(
        "Общие выводы", validators=[Optional(), Length(max=MAX_MARKDOWN)],
        description="Для справки-отчёта по итогам программы; на сайте не публикуются.")
    is_public = BooleanField("Показывать на сайте", default=True)


class ParticipantForm(AdminForm):
    person_id = SelectField("Человек", coerce=int)
    role = SelectField("Роль", choices=_enum_choices(Role))


class ExtendForm(AdminForm):
    new_end_on = DateField("Новая дата окончания", validators=[InputRequired("Укажите дату.")])
    reason = TextAreaField("Основание продления", validators=[not_blank, Length(max=2000)])


class CompleteForm(AdminForm):
    ended_on = DateField("Дата завершения", validators=[InputRequired("Укажите дату.")])


class EndEarlyForm(AdminForm):
    ended_on = DateField("Дата завершения", validators=[InputRequired("Укажите дату.")])
    reason = SelectField("Основание (Положение, п. 7.1)", choices=_enum_choices(EarlyEndReason))
    note = TextAreaField("Обстоятельства", validators=[not_blank, Length(max=2000)])


class CaseForm(PublishableForm):
    program_id = SelectField("Программа", coerce=int)
    title = StringField("Название кейса", validators=[not_blank, Length(max=300)])
    summary = TextAreaField("Кратко (для галереи)", validators=[Optional(), Length(max=1000)])
    body = markdown_field("Описание практики")


class PhotoForm(AdminForm):
    photo = FileField("Фотография (JPEG, PNG или WebP)",
                      validators=[FileRequired("Выберите файл фотографии.")])
    alt_text = StringField("Что на фотографии (для незрячих посетителей)",
                           validators=[not_blank, Length(max=300)])
    caption = StringField("Подпись", validators=[Optional(), Length(max=300)])


class AttachmentForm(AdminForm):
    file = FileField("Документ (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS)",
                     validators=[FileRequired("Выберите файл.")])
    title = StringField("Название документа", validators=[not_blank, Length(max=300)])


class PersonPhotoForm(AdminForm):
    photo = FileField("Фотография (JPEG, PNG или WebP)",
                      validators=[FileRequired("Выберите файл фотографии.")])
    alt_text = StringField("Что на фотографии", default="",
                           validators=[not_blank, Length(max=300)],
                           description="Например: «Фотография: Иванова Анна Петровна».")


class SectionInfoForm(AdminForm):
    version = HiddenField()
    intro = markdown_field("О разделе (текст на главной странице раздела)")
    curator_name = StringField("Куратор: фамилия, имя, отчество",
                               validators=[Optional(), Length(max=200)])
    curator_position = StringField("Куратор: должность", validators=[Optional(), Length(max=200)])
    curator_phone = StringField("Телефон", validators=[Optional(), Length(max=60)])
    curator_email = StringField("Электронная почта", validators=[Optional(), Length(max=200)])
    curator_hours = StringField("Часы приёма", validators=[Optional(), Length(max=200)])
    show_effectiveness_level = BooleanField(
        "Показывать итоговый уровень эффективности на сайте",
        description="После завершения программы на её странице виден итоговый уровень "
                    "по листу оценки эффективности.")
