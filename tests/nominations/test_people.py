"""How a person is named on pages, in forms, messages and the council's records."""

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template

from nominations.people import display_name


def _user(**fields):
    return get_user_model()(username="lan.tran", **fields)


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"first_name": "Trần Thị", "last_name": "Lan"}, "Trần Thị Lan"),
        ({"first_name": "Lan"}, "Lan"),
        ({}, "lan.tran"),
        ({"first_name": " ", "last_name": ""}, "lan.tran"),  # a blank name is no name
    ],
)
def test_a_person_is_named_by_full_name_or_else_username(fields, shown):
    assert display_name(_user(**fields)) == shown


@pytest.mark.parametrize("fields", [{"first_name": "Trần Thị", "last_name": "Lan"}, {}])
def test_the_template_filter_names_people_as_the_code_does(fields):
    user = _user(**fields)
    page = Template("{% load laurel %}{{ person|display_name }}").render(Context({"person": user}))
    assert page == display_name(user)


def test_the_template_filter_shows_nobody_as_nothing():
    assert Template("{% load laurel %}[{{ nobody|display_name }}]").render(Context({})) == "[]"
