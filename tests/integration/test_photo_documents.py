"""Photos printed in the session report and the treatment summary only when asked for, with their captions."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
from PIL import Image

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.reports.session_report import session_report
from sclerochart.reports.summary import treatment_summary
from sclerochart.services import patients, photos, records, sessions, sites
from sclerochart.services.context import ServiceContext
from tests.conftest import NOW, patient_draft
from tests.integration.documents import pdf_text
from tests.signing import signed_in


def _picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 40)).save(out, "JPEG")
    return out.getvalue()


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_photos_print_only_when_asked_for(ctx: ServiceContext) -> None:
    signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    x, y = point_for(View.ANTERIOR, 0, 30, 0.0)
    sites.add_site(ctx, session, SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA))
    photos.add_photo_file(ctx, _picture(), view=View.LEFT_MEDIAL, session_id=session, original_name="before.jpg")
    plain = session_report(records.session_record(ctx, session), NOW)
    with_photos = session_report(records.session_record(ctx, session, with_photos=True), NOW)
    assert _images(with_photos) == _images(plain) + 1
    caption = f"Left medial view — session of {ctx.clock():%d.%m.%Y}"
    assert caption in " ".join(pdf_text(with_photos)) and caption not in " ".join(pdf_text(plain))
    summary = treatment_summary(records.patient_record(ctx, patient.id, with_photos=True), NOW)
    assert "Photos" in " ".join(pdf_text(summary)) and _images(summary) >= 1
    assert dt.date.today() is not None
