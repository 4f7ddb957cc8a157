"""Expert profiles on both databases: saving, the limits on every field, refusals that
store nothing, photos re-encoded, and what customers see before and after approval."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from agent_portal.experts import service
from agent_portal.experts.errors import InvalidPhoto, InvalidProfile
from agent_portal.experts.models import ExpertPhoto, ExpertProfile, ExpertProfileDraft
from agent_portal.experts.profile_input import QUALIFICATIONS_MAX, SLOGAN_MAX
from tests.agent_portal.experts.conftest import LIMITS, photo_bytes, profile_fields, submit


def count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_saved_profile_waits_for_approval_and_customers_see_nothing_yet(db_session, expert, tree):
    draft = submit(db_session, expert, tree, keywords="Router; mesh, router ,  WLAN")
    profile = service.profile_of_staff(db_session=db_session, staff_id=expert.id)
    assert draft.is_pending and profile.draft.id == draft.id
    assert draft.keyword_list == ["Router", "mesh", "WLAN"]
    assert draft.language_list == ["de", "en"]
    assert draft.category_ids == [tree["Internet & router"], tree["Wi-Fi & home network"]]
    assert draft.currency == "CHF" and draft.price_per_minute == 150
    assert not profile.is_visible
    assert service.visible_profiles(db_session=db_session) == []
    assert service.public_profile(db_session=db_session, expert_id=profile.id) is None


def test_a_fourth_category_is_refused_and_nothing_is_stored(db_session, expert, tree):
    four = [tree[name] for name in ("Windows", "macOS", "Linux", "E-mail")]
    with pytest.raises(InvalidProfile) as refused:
        submit(db_session, expert, tree, category_ids=four)
    assert set(refused.value.problems) == {"categories"}
    assert "at most 3 categories" in str(refused.value.problems["categories"])
    assert count(db_session, ExpertProfile) == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"slogan": "x" * (SLOGAN_MAX + 1)}, "slogan", f"At most {SLOGAN_MAX} characters"),
        (
            {"qualifications": "q" * (QUALIFICATIONS_MAX + 1)},
            "qualifications",
            f"At most {QUALIFICATIONS_MAX} characters",
        ),
        ({"price_per_minute": 10}, "price_per_minute", "between CHF\xa00.50 and CHF\xa020.00"),
        (
            {"price_per_session": 60_000},
            "price_per_session",
            "between CHF\xa010.00 and CHF\xa0500.00",
        ),
        (
            {"price_per_minute": None, "price_per_session": None},
            "price_per_minute",
            "Set a price per minute, a price per session, or both",
        ),
        ({"languages": ["de", "xx"]}, "languages", "Unknown language code: xx"),
        ({"languages": []}, "languages", "at least one language"),
        ({"display_name": "   "}, "display_name", "Enter the name"),
        ({"category_ids": [999_999]}, "categories", "does not exist"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(db_session, expert, tree, changes, field, words):
    with pytest.raises(InvalidProfile) as refused:
        service.validate(db_session=db_session, limits=LIMITS, **profile_fields(tree, **changes))
    assert field in refused.value.problems
    assert words in refused.value.problems[field].translated(lambda text: text, "en")


def test_a_price_limit_reads_in_german_money(db_session, tree):
    with pytest.raises(InvalidProfile) as refused:
        service.validate(
            db_session=db_session, limits=LIMITS, **profile_fields(tree, price_per_minute=5)
        )
    german = refused.value.problems["price_per_minute"].translated(lambda text: text, "de")
    assert "CHF\xa00.50" in german or "0.50\xa0CHF" in german or "0,50" in german


def test_a_photo_is_reencoded_to_a_small_jpeg_without_metadata(db_session, expert, tree):
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    upload = photo_bytes((2000, 1000), "JPEG", exif=exif.tobytes(), comment=b"hello")
    draft = submit(db_session, expert, tree, photo=upload)
    photo = db_session.get(ExpertPhoto, draft.photo_id)
    assert photo.content_type == "image/jpeg"
    assert (photo.width, photo.height) == (512, 256)
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG" and stored.size == (512, 256)
    assert not stored.getexif() and b"secret" not in photo.data and b"hello" not in photo.data


@pytest.mark.parametrize(
    "upload",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a but not really",
        b"%PDF-1.4 not a photo",
    ],
)
def test_something_that_is_not_an_image_is_refused_and_nothing_is_stored(
    db_session, expert, tree, upload
):
    with pytest.raises(InvalidPhoto) as refused:
        submit(db_session, expert, tree, photo=upload)
    assert "not a photo" in str(refused.value)
    db_session.rollback()
    assert count(db_session, ExpertProfile) == 0 and count(db_session, ExpertPhoto) == 0


def test_an_oversized_photo_is_refused(db_session, expert, tree):
    upload = photo_bytes((1500, 1500), "PNG", compress_level=0)  # about 6.7 MB
    assert len(upload) > 2_000_000
    with pytest.raises(InvalidPhoto) as refused:
        submit(db_session, expert, tree, photo=upload)
    assert "too large" in str(refused.value)
    db_session.rollback()
    assert count(db_session, ExpertProfileDraft) == 0
