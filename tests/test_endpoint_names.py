"""Endpoint names are public API once released (STYLE.md): hosts' templates, the municipal
office and other schools' sites link with ``url_for("mentoring.case", ...)``. A renamed or
removed endpoint breaks them at run time, not here, so the names are kept in a snapshot:
changing one is a deliberate act (edit ENDPOINTS, say so in the changelog), never a side
effect of a refactoring. A new endpoint is added to the list the same way.
"""

from __future__ import annotations

from flask import Flask

from mentoring_site import Mentoring
from mentoring_site.municipal import Municipal
from tests.conftest import make_app

OURS = ("mentoring", "mentoring_admin", "mentoring_api", "municipal", "municipal_admin",
        "municipal_api")

ENDPOINTS = """
mentoring.accessibility
mentoring.accessibility_apply
mentoring.case
mentoring.cases
mentoring.documents
mentoring.documents_repealed
mentoring.event_register
mentoring.event_registered
mentoring.honors
mentoring.index
mentoring.materials
mentoring.media
mentoring.mentees
mentoring.mentor_school
mentoring.mentors
mentoring.news
mentoring.news_item
mentoring.page
mentoring.person
mentoring.program
mentoring.programs
mentoring.questionnaire
mentoring.questionnaire_thanks
mentoring.questionnaires
mentoring.static
mentoring_admin.account
mentoring_admin.account_password
mentoring_admin.account_totp_off
mentoring_admin.account_totp_on
mentoring_admin.answer
mentoring_admin.answer_to_bank
mentoring_admin.answers
mentoring_admin.answers_csv
mentoring_admin.answers_xlsx
mentoring_admin.backup_download
mentoring_admin.backup_now
mentoring_admin.backups_screen
mentoring_admin.case_attachment_add
mentoring_admin.case_attachment_remove
mentoring_admin.case_create
mentoring_admin.case_delete
mentoring_admin.case_edit
mentoring_admin.case_list
mentoring_admin.case_photo_add
mentoring_admin.case_photo_remove
mentoring_admin.category_create
mentoring_admin.category_delete
mentoring_admin.category_edit
mentoring_admin.category_list
mentoring_admin.consent_create
mentoring_admin.consent_docx
mentoring_admin.consent_edit
mentoring_admin.consent_print
mentoring_admin.dashboard
mentoring_admin.direction_create
mentoring_admin.direction_delete
mentoring_admin.direction_edit
mentoring_admin.direction_list
mentoring_admin.document_create
mentoring_admin.document_delete
mentoring_admin.document_edit
mentoring_admin.document_list
mentoring_admin.honor_create
mentoring_admin.honor_delete
mentoring_admin.honor_edit
mentoring_admin.honor_list
mentoring_admin.journal
mentoring_admin.journal_restore
mentoring_admin.league_application
mentoring_admin.login
mentoring_admin.logout
mentoring_admin.material_create
mentoring_admin.material_delete
mentoring_admin.material_edit
mentoring_admin.material_list
mentoring_admin.media
mentoring_admin.news_create
mentoring_admin.news_delete
mentoring_admin.news_edit
mentoring_admin.news_list
mentoring_admin.open_data
mentoring_admin.page_create
mentoring_admin.page_delete
mentoring_admin.page_edit
mentoring_admin.page_list
mentoring_admin.pair_suggestions
mentoring_admin.person_create
mentoring_admin.person_delete
mentoring_admin.person_edit
mentoring_admin.person_list
mentoring_admin.person_photo
mentoring_admin.person_photo_remove
mentoring_admin.plan_template_create
mentoring_admin.plan_template_delete
mentoring_admin.plan_template_edit
mentoring_admin.plan_template_item_add
mentoring_admin.plan_template_item_down
mentoring_admin.plan_template_item_edit
mentoring_admin.plan_template_item_remove
mentoring_admin.plan_template_item_up
mentoring_admin.plan_template_list
mentoring_admin.processing_agreement_create
mentoring_admin.processing_agreement_edit
mentoring_admin.processing_consent
mentoring_admin.program_apply_template
mentoring_admin.program_complete
mentoring_admin.program_create
mentoring_admin.program_delete
mentoring_admin.program_edit
mentoring_admin.program_end_early
mentoring_admin.program_event_add
mentoring_admin.program_event_done
mentoring_admin.program_event_edit
mentoring_admin.program_event_not_done
mentoring_admin.program_event_remove
mentoring_admin.program_event_reopen
mentoring_admin.program_extend
mentoring_admin.program_list
mentoring_admin.program_participant_add
mentoring_admin.program_participant_consent
mentoring_admin.program_participant_remove
mentoring_admin.program_rescore
mentoring_admin.program_score
mentoring_admin.program_start
mentoring_admin.question_create
mentoring_admin.question_delete
mentoring_admin.question_edit
mentoring_admin.question_list
mentoring_admin.questionnaire_create
mentoring_admin.questionnaire_delete
mentoring_admin.questionnaire_edit
mentoring_admin.questionnaire_list
mentoring_admin.registration_consent
mentoring_admin.registration_decide
mentoring_admin.registration_event
mentoring_admin.registration_promote
mentoring_admin.registrations
mentoring_admin.registrations_csv
mentoring_admin.registrations_xlsx
mentoring_admin.report_order
mentoring_admin.report_program
mentoring_admin.report_year
mentoring_admin.reports
mentoring_admin.satisfaction_rollup
mentoring_admin.section_archive
mentoring_admin.section_edit
mentoring_admin.section_info
mentoring_admin.sheet_answer_add
mentoring_admin.sheet_answer_remove
mentoring_admin.sheet_create
mentoring_admin.sheet_criterion_add
mentoring_admin.sheet_criterion_remove
mentoring_admin.sheet_delete
mentoring_admin.sheet_edit
mentoring_admin.sheet_indicator_add
mentoring_admin.sheet_indicator_remove
mentoring_admin.sheet_levels
mentoring_admin.sheet_list
mentoring_admin.sheet_scale
mentoring_admin.sheet_structure
mentoring_admin.starter_federal_acts
mentoring_admin.work_form_create
mentoring_admin.work_form_delete
mentoring_admin.work_form_edit
mentoring_admin.work_form_list
mentoring_api.calendar
mentoring_api.cases
mentoring_api.documents
mentoring_api.event_calendar
mentoring_api.feed_cases
mentoring_api.feed_news
mentoring_api.honors
mentoring_api.index
mentoring_api.materials
mentoring_api.mentees
mentoring_api.mentors
mentoring_api.news
mentoring_api.openapi
mentoring_api.programs
mentoring_api.sitemap
mentoring_api.sitemap_part
mentoring_api.summary
mentoring_api.widget
mentoring_api.widget_fragment
municipal.cases
municipal.cases_csv
municipal.curators
municipal.curators_csv
municipal.league
municipal.league_csv
municipal.league_order
municipal.mentors
municipal.mentors_csv
municipal.mgmt_programs
municipal.mgmt_school_programs
municipal.mgmt_teams
municipal.mgmt_teams_csv
municipal.schools
municipal.schools_csv
municipal.static
municipal_admin.league_direction_edit
municipal_admin.league_directions
municipal_admin.league_edit
municipal_admin.league_include
municipal_admin.league_key_issue
municipal_admin.league_key_revoke
municipal_admin.league_keys
municipal_admin.league_list
municipal_admin.league_new
municipal_admin.league_order_file
municipal_admin.league_reject
municipal_admin.mgmt_direction_rename
municipal_admin.mgmt_directions
municipal_admin.mgmt_item_add
municipal_admin.mgmt_item_mark
municipal_admin.mgmt_item_remove
municipal_admin.mgmt_member_add
municipal_admin.mgmt_member_remove
municipal_admin.mgmt_program
municipal_admin.mgmt_program_move
municipal_admin.mgmt_programs
municipal_admin.mgmt_report
municipal_admin.mgmt_report_docx
municipal_admin.mgmt_team
municipal_admin.mgmt_teams
municipal_admin.report
municipal_admin.school_add
municipal_admin.school_check
municipal_admin.school_refresh
municipal_admin.school_remove
municipal_admin.schools
municipal_admin.schools_refresh
municipal_api.league_apply
municipal_api.league_directions
""".split()


def _ours(app: Flask) -> list[str]:
    names = {rule.endpoint for rule in app.url_map.iter_rules()}
    return sorted(n for n in names if n.split(".", 1)[0] in OURS)


def _section_and_registry(tmp_path) -> Flask:
    """The section and the municipal registry on one app: every blueprint of ours."""
    schools = tmp_path / "schools.toml"
    schools.write_text('[[school]]\nname = "МБОУ «Школа № 1»"\n'
                       'url = "https://school1.example.ru/nastavnichestvo/"\nid = "school1"\n',
                       encoding="utf-8")
    app = make_app(f"sqlite:///{tmp_path / 'section.sqlite'}", tmp_path,
                   MUNICIPAL_SCHOOLS_FILE=str(schools))
    Municipal(app)
    return app


def test_endpoint_names_are_unchanged(tmp_path):
    app = _section_and_registry(tmp_path)
    try:
        found = _ours(app)
    finally:
        app.extensions["mentoring"].engine.dispose()
    gone = sorted(set(ENDPOINTS) - set(found))
    new = sorted(set(found) - set(ENDPOINTS))
    assert not gone and not new, (
        "Endpoint names are public API: hosts, the municipal office and other sites link to "
        "them with url_for. Keep the old names (add a new endpoint beside an old one rather "
        "than rename it); if the change is deliberate, update ENDPOINTS in "
        f"tests/test_endpoint_names.py and the changelog.\nremoved or renamed: {gone}\n"
        f"new: {new}"
    )


def test_the_snapshot_is_sorted_and_covers_every_blueprint():
    assert ENDPOINTS == sorted(set(ENDPOINTS))
    assert {n.split(".", 1)[0] for n in ENDPOINTS} == set(OURS)
    assert {"mentoring.index", "mentoring.case", "mentoring_admin.case_edit"} <= set(ENDPOINTS)


def test_the_extension_alone_registers_no_municipal_endpoint(tmp_path):
    app = Flask("host", instance_path=str(tmp_path))
    app.config["MENTORING_DATABASE_URI"] = f"sqlite:///{tmp_path / 'section.sqlite'}"
    Mentoring(app)
    try:
        found = _ours(app)
    finally:
        app.extensions["mentoring"].engine.dispose()
    assert found == [n for n in ENDPOINTS if not n.startswith("municipal")]
