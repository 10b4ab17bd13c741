"""Every pseudonym rule, with the bad input it refuses and the error a person reads."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.pseudonyms import suggest_pseudonym, validate_pseudonym
from accounts.selectors import pseudonym_is_taken
from tests.factories import PASSWORD


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("ab", "3 to 30 characters"),
        ("a" * 31, "3 to 30 characters"),
        ("jane@example.org", "email address"),
        ("jane.doe.at.gmail.dot.com", "email address"),
        ("www.example", "web address"),
        ("http-example", "web address"),
        ("example.com", "web address"),
        ("my.site.io", "web address"),
        ("0612345678", "phone number"),
        ("+44-20-7946-0958", "phone number"),
        ("call.555.123.4567", "phone number"),
        ("quiet harbor", "letters (A-Z), digits"),
        ("Quiet<b>", "letters (A-Z), digits"),
        ("Qu\u0456etHarbor", "letters (A-Z), digits"),
        ("admin", "reserved"),
        ("Moderator", "reserved"),
        ("moderator_jane", "reserved"),
        ("HomeGroup", "reserved"),
        ("system", "reserved"),
        ("Anonymous", "reserved"),
        ("former-member", "reserved"),
        ("Former.Member", "reserved"),
        ("staff", "reserved"),
    ],
)
@pytest.mark.django_db
def test_signup_refuses_a_bad_pseudonym_with_a_clear_error(client, pseudonym, message):
    response = client.post(
        reverse("account_signup"),
        {"username": pseudonym, "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("pseudonym", "code"),
    [
        ("john_at_gmail_dot_com", "email_like"),
        ("jane-at-example-dot-org", "email_like"),
        ("JohnAtExampleDotCom", "email_like"),
        ("john.smith.gmail", "email_like"),
        ("jsmith-gmail-com", "email_like"),
        ("janedoegmail", "email_like"),
        ("Jane.Hotmail", "email_like"),
        ("j_smith_0utl00k", "email_like"),
        ("jane-yah00", "email_like"),
        ("sam.aol", "email_like"),
        ("example_dot_com", "url_like"),
        ("my-site-com", "url_like"),
        ("shop_dot_io", "url_like"),
        ("ADMlN", "reserved"),
        ("Adm1n", "reserved"),
        ("adrnin", "reserved"),
        ("m0derator", "reserved"),
        ("M0der4tor_Jane", "reserved"),
        ("m-o-d-e-r-a-t-o-r", "reserved"),
        ("M0D", "reserved"),
        ("5ystem", "reserved"),
        ("H0meGr0up", "reserved"),
        ("an0nym0us", "reserved"),
        ("st4ff", "reserved"),
        ("R00t", "reserved"),
        ("Nu11", "reserved"),
        ("F0rmer_Member", "reserved"),
    ],
)
def test_disguised_addresses_links_and_reserved_names_are_seen_through(pseudonym, code):
    with pytest.raises(ValidationError) as refused:
        validate_pseudonym(pseudonym)

    assert refused.value.code == code


@pytest.mark.parametrize(
    "pseudonym",
    [
        "QuietHarbor42",
        "still_water",
        "a.b-c",
        "Tom",
        "x" * 30,
        "Lily",
        "Modern_Fern",
        "Admiral",
        "Atlas",
        "Dot_Matrix",
        "Safety_Net",
        "Brave-Me",
        "Comet",
        "Matt_at_peace",
        "Live_and_let_live",
        "Helpful_Hands",
        "Rootbeer",
        "Modesty",
        "Sober_Sam7",
        "Mail_Carrier",
    ],
)
def test_good_pseudonyms_pass(pseudonym):
    validate_pseudonym(pseudonym)


@pytest.mark.django_db
def test_the_signup_page_offers_a_free_valid_pseudonym(client, member_factory):
    response = client.get(reverse("account_signup"))
    suggestion = response.context["form"].suggested_pseudonym

    validate_pseudonym(suggestion)
    assert not pseudonym_is_taken(suggestion)
    assert f'value="{suggestion}"' in response.content.decode()


def test_the_suggestion_skips_pseudonyms_already_taken():
    def is_taken(candidate):
        return candidate.startswith("Quiet")

    for _ in range(20):
        suggestion = suggest_pseudonym(is_taken=is_taken)
        assert not suggestion.startswith("Quiet")
        validate_pseudonym(suggestion)
