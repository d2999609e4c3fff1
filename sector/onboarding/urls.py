from django.urls import path

from .agreements import views as agreement_views
from .checklist import views
from .lasa import views as lasa_views
from .notices import views as notice_views
from .profiles import views as profile_views
from .survey import views as survey_views

app_name = "onboarding"

urlpatterns = [
    path("", views.home, name="index"),
    path("start/", views.start, name="start"),
    path("export/", views.export, name="export"),
    path("agencies/<str:ori>/", views.agency, name="agency"),
    path("agencies/<str:ori>/steps/<int:number>/complete/", views.step_complete, name="step_complete"),
    path("agencies/<str:ori>/steps/<int:number>/evidence/", views.step_evidence, name="step_evidence"),
    path("agencies/<str:ori>/go-live/", views.go_live, name="go_live"),
]

urlpatterns += [
    path("agencies/<str:ori>/survey/", survey_views.survey, name="survey"),
    path("agencies/<str:ori>/survey/lines/add/", survey_views.line_add, name="survey_line_add"),
    path("agencies/<str:ori>/survey/lines/<int:line_id>/remove/", survey_views.line_remove, name="survey_line_remove"),
    path("agencies/<str:ori>/survey/import/", survey_views.import_preview, name="survey_import"),
    path("agencies/<str:ori>/survey/import/confirm/", survey_views.import_confirm, name="survey_import_confirm"),
    path("agencies/<str:ori>/survey/submit/", survey_views.submit, name="survey_submit"),
    path("agencies/<str:ori>/survey/evaluation/", survey_views.evaluation, name="evaluation"),
    path("agencies/<str:ori>/survey/evaluation.pdf", survey_views.evaluation_pdf, name="evaluation_pdf"),
]

urlpatterns += [
    path("courts/", notice_views.court_notices, name="court_notices"),
    path("notices/<int:pk>/", notice_views.notice, name="notice"),
    path("notices/<int:pk>/decide/", notice_views.decide, name="notice_decide"),
    path("notices/<int:pk>/letter.pdf", notice_views.notice_letter, name="notice_letter"),
    path("acknowledge/<str:token>/", notice_views.acknowledge, name="acknowledge"),
    path("prosecutor-notices/<int:pk>/new-link/", notice_views.prosecutor_link_renew, name="prosecutor_link_renew"),
]

urlpatterns += [
    path("agencies/<str:ori>/agreements/", agreement_views.agreements, name="agreements"),
    path("agencies/<str:ori>/agreements/prepare/", agreement_views.prepare, name="agreement_prepare"),
    path("agreements/<int:pk>/", agreement_views.agreement, name="agreement"),
    path("agreements/<int:pk>/sign/", agreement_views.sign, name="agreement_sign"),
    path("agreements/<int:pk>/upload/", agreement_views.upload, name="agreement_upload"),
    path("agreements/<int:pk>/countersign/", agreement_views.countersign, name="agreement_countersign"),
    path("agreements/<int:pk>/agreement.pdf", agreement_views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/signed-copy.pdf", agreement_views.signed_copy, name="agreement_signed_copy"),
]

urlpatterns += [
    path("agencies/<str:ori>/contact/invite/", lasa_views.contact_invite, name="contact_invite"),
    path("agencies/<str:ori>/lasa/", lasa_views.lasa, name="lasa"),
    path("agencies/<str:ori>/lasa/propose/", lasa_views.lasa_propose, name="lasa_propose"),
    path("lasa-proposals/<int:pk>/decide/", lasa_views.lasa_decide, name="lasa_decide"),
    path("agencies/<str:ori>/users/", lasa_views.users, name="users"),
    path("agencies/<str:ori>/users/invite/", lasa_views.user_invite, name="user_invite"),
    path("agencies/<str:ori>/users/<int:user_id>/role/", lasa_views.user_role, name="user_role"),
    path("agencies/<str:ori>/users/<int:user_id>/deactivate/", lasa_views.user_deactivate, name="user_deactivate"),
    path("agencies/<str:ori>/users/<int:user_id>/activate/", lasa_views.user_activate, name="user_activate"),
]

urlpatterns += [
    path("profiles/", profile_views.profiles, name="profiles"),
    path("profiles/new/", profile_views.profile_new, name="profile_new"),
    path("profiles/<int:version>/", profile_views.profile, name="profile"),
    path("profiles/<int:version>/edit/", profile_views.profile_edit, name="profile_edit"),
    path("profiles/<int:version>/publish/", profile_views.profile_publish, name="profile_publish"),
]
