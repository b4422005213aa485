"""The next steps of answers: a bank card (below), suggested pairs, the satisfaction roll-up.

An answer into the bank of mentors or mentees: a new card, or merged into a similar one
after the curator has seen both side by side (``questionnaires.bank`` decides the values;
every save goes through ``editing``: the card's under «person», the answer's under «answer»).

A new card is not public: the site shows a person only with a consent to dissemination,
which the curator records on the card when it is signed.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from .. import editing
from ..db import begin_write, session
from ..models import Answer, AnswerStatus, Person
from ..questionnaires import bank, pairs, satisfaction
from ..questionnaires.answers import in_order
from . import blueprint as bp
from .forms_questionnaires import BankForm
from .guard import requires
from .kinds import KINDS
from .people import AGREEMENT

ANSWER_KIND = editing.RecordKind(name="answer", model=Answer, slug_source=None)


def _link(sess: Session, item: Answer, person: Person, done: str):
    """The answer marked processed and tied to the card, the consent to processing given
    with it recorded on the card; back to the card."""
    agreement = bank.agreement_values(item, person)
    if agreement is not None:
        editing.save_record(sess, AGREEMENT, None, agreement, actor=g.mentoring_editor.label)
    editing.save_record(sess, ANSWER_KIND, item.id, {"status": AnswerStatus.PROCESSED,
                                                     "person_id": person.id},
                        actor=g.mentoring_editor.label)
    flash(done, "ok")
    return redirect(url_for("mentoring_admin.person_edit", obj_id=person.id))


def _to_bank(sess: Session, item: Answer, proposal: bank.Proposal, form: BankForm):
    """Create or merge, as the form says; ``None`` when the curator must first see the
    similar cards."""
    person_kind = KINDS["person"].record
    where = bank.BANK_NAMES[proposal.bank]
    if form.action.data == "merge":
        person = session().get(Person, form.person_id.data or 0)
        if person is None:
            raise editing.Gone("Этой карточки уже нет: выберите другую или создайте новую.")
        chosen = set(request.form.getlist("field"))
        editing.save_record(sess, person_kind, person.id,
                            bank.merge_values(person, proposal, chosen),
                            actor=g.mentoring_editor.label, version=form.person_version.data)
        return _link(sess, item, person, f"Ответ объединён с карточкой «{person.full_name}» "
                                         f"({where}).")
    if form.action.data != "new" and bank.similar(sess, item, proposal):
        return None
    if not proposal.ok:
        raise editing.Refused(proposal.problem or "")
    person = editing.save_record(sess, person_kind, None, bank.new_values(proposal),
                                 actor=g.mentoring_editor.label)
    return _link(sess, item, person, f"Создана карточка «{person.full_name}» ({where}). На "
                                     "сайте её не видно, пока не внесено согласие на "
                                     "распространение.")


@bp.route("/otvety/<mentoring_id:answer_id>/v-bank/", methods=["GET", "POST"])
@requires()
def answer_to_bank(answer_id: int):
    """GET: the answer's card beside the similar ones; POST: create or merge."""
    sess = session()
    item = sess.get(Answer, answer_id) or abort(404)
    proposal = bank.propose(item)
    form = BankForm()
    status, message = 200, form.csrf_message()
    if request.method == "POST" and form.validate() and proposal.bank:
        begin_write(sess)
        try:
            done = _to_bank(sess, item, proposal, form)
        except editing.EditError as exc:
            status, message = 409, str(exc)
        else:
            if done is not None:
                return done
    elif request.method == "POST":
        status = 400
    matches = bank.similar(sess, item, proposal)
    return render_template("mentoring/admin/answer_bank.html", item=item, proposal=proposal,
                           form=form, message=message, where=bank.BANK_NAMES.get(proposal.bank),
                           fields=bank.CARD_FIELDS,
                           matches=[(p, bank.merge_choices(p, proposal)) for p in matches]
                           ), status


@bp.get("/podbor-par/")
@requires()
def pair_suggestions():
    """The unprocessed mentee answers with their best mentors; the curator decides."""
    return render_template("mentoring/admin/pair_suggestions.html",
                           rows=pairs.open_requests(session()),
                           summary=lambda a: (in_order(a.answers or {}) or [("", "—")])[0][1])


@bp.get("/udovletvorennost/")
@requires()
def satisfaction_rollup():
    """Feedback per programme and school year: means and the marks' distribution."""
    return render_template("mentoring/admin/satisfaction.html",
                           groups=satisfaction.rollup(session()), marks=satisfaction.MARKS)
