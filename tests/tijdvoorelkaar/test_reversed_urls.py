"""`link(name, *ids)` and `links(name)`: the URL `reverse` gives, from a pattern reversed once
per process."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tijdvoorelkaar.reversed_urls import link, links, named_links


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("people:list", ()),
        ("people:detail", (7,)),
        ("people:detail", (7_300_000_001,)),  # the marker itself as an id
        ("people:note-edit", (12, 345)),
        ("people:held-handled", (345, 12)),
        ("brokerage:ad-new", (1,)),
    ],
)
def test_a_link_is_what_reverse_gives(name: str, ids: tuple[int, ...]) -> None:
    assert link(name, *ids) == reverse(name, args=ids)


def test_links_for_a_list_are_what_reverse_gives() -> None:
    detail, note = links("people:detail"), links("people:note-edit", 2)
    assert [detail(pk) for pk in (1, 22)] == [reverse("people:detail", args=[pk]) for pk in (1, 22)]
    assert note(12, 345) == reverse("people:note-edit", args=[12, 345])


def test_a_link_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/sub/")
        assert link("people:detail", 5) == reverse("people:detail", args=[5])
        assert link("people:detail", 5).startswith("/sub/")
    finally:
        set_script_prefix("/")


def test_a_link_refuses_what_reverse_refuses() -> None:
    with pytest.raises(NoReverseMatch):
        link("people:detail")


def test_named_links_are_what_reverse_gives() -> None:
    names = {"detail": "people:detail", "edit": "people:edit"}
    assert named_links(names, 7) == {
        "detail": reverse("people:detail", args=[7]),
        "edit": reverse("people:edit", args=[7]),
    }
    assert named_links({"list": "people:list"}) == {"list": reverse("people:list")}
