"""The category tree on both databases: the starter tree, admins adding, renaming,
moving, reordering and removing categories, and a removal refused while one is used."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent_portal.audit.models import AuditEntry
from agent_portal.experts import service
from agent_portal.experts.errors import CategoryInUse, InvalidCategory
from tests.agent_portal.experts.conftest import submit


def names(db_session, language="en") -> list[str]:
    db_session.expire_all()
    return [top.name(language) for top in service.category_tree(db_session=db_session)]


def top_named(db_session, name_en):
    return next(t for t in service.category_tree(db_session=db_session) if t.name_en == name_en)


def test_the_starter_tree_has_the_usual_it_topics_in_both_languages(db_session):
    tree = service.category_tree(db_session=db_session)
    assert len(tree) == 17
    assert names(db_session)[:3] == ["Internet & router", "Wi-Fi & home network", "E-mail"]
    assert names(db_session, "de")[:3] == ["Internet & Router", "WLAN & Heimnetz", "E-Mail"]
    assert all(len(top.children) >= 2 for top in tree)


def test_admins_add_rename_move_and_reorder(db_session, admin):
    added = service.add_category(
        db_session=db_session, name_de=" Fotos  & Video ", name_en="Photos & video", actor=admin
    )
    assert names(db_session)[-1] == "Photos & video"
    service.rename_category(
        db_session=db_session,
        category_id=added.id,
        name_de="Foto & Video",
        name_en="Photo & video",
        actor=admin,
    )
    service.shift_category(db_session=db_session, category_id=added.id, offset=-1, actor=admin)
    assert names(db_session)[-2:] == ["Photo & video", "Web & own website"]
    assert names(db_session, "de")[-2] == "Foto & Video"
    windows = next(
        t for t in service.category_tree(db_session=db_session) if t.name_en == "Windows"
    )
    service.move_category(
        db_session=db_session, category_id=added.id, parent_id=windows.id, actor=admin
    )
    db_session.commit()
    windows = next(
        t for t in service.category_tree(db_session=db_session) if t.name_en == "Windows"
    )
    assert windows.children[-1].name_en == "Photo & video"
    assert "Photo & video" not in names(db_session)
    db_session.expire_all()
    logged = list(db_session.scalars(select(AuditEntry.event)))
    assert logged.count("expert_category_changed") == 3 and "expert_category_added" in logged


def test_bad_names_and_places_are_refused(db_session, admin):
    with pytest.raises(InvalidCategory) as refused:
        service.add_category(db_session=db_session, name_de="", name_en="x" * 101, actor=admin)
    assert set(refused.value.problems) == {"name_de", "name_en"}
    tree = service.category_tree(db_session=db_session)
    sub = tree[0].children[0]
    with pytest.raises(InvalidCategory):  # only two levels
        service.add_category(
            db_session=db_session, name_de="a", name_en="a", parent_id=sub.id, actor=admin
        )
    with pytest.raises(InvalidCategory):  # a top category with children stays on top
        service.move_category(
            db_session=db_session, category_id=tree[0].id, parent_id=tree[1].id, actor=admin
        )


def test_a_category_in_use_is_not_removed(db_session, expert, admin, tree):
    submit(db_session, expert, tree, category_ids=[tree["Android"]])
    with pytest.raises(CategoryInUse) as refused:
        service.remove_category(db_session=db_session, category_id=tree["Android"], actor=admin)
    assert "is chosen in expert profiles (1)" in str(refused.value)
    with pytest.raises(CategoryInUse) as refused:
        service.remove_category(
            db_session=db_session, category_id=tree["Smartphones & tablets"], actor=admin
        )
    assert "has sub-categories" in str(refused.value)
    db_session.rollback()
    assert service.get_category(db_session=db_session, category_id=tree["Android"]) is not None

    service.remove_category(db_session=db_session, category_id=tree["Consoles"], actor=admin)
    db_session.commit()
    assert service.get_category(db_session=db_session, category_id=tree["Consoles"]) is None
