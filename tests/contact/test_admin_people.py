"""Finding 5 of issue 14: staff are named as people, never by login name, and no
link leads a Salg user to a page they may not open."""

from django.urls import reverse

from contact.models import Inquiry, InquiryNote
from tests.conftest import login_with_second_factor


def test_a_note_names_its_author_without_a_link_to_the_user_admin(
    client, inquiry_factory, sales_user
):
    """Finding: the note author's link led to the public "Ingen tilgang" page."""
    inquiry = inquiry_factory()
    InquiryNote.objects.create(inquiry=inquiry, author=sales_user, text="Ringte.")
    login_with_second_factor(client, sales_user)

    html = client.get(
        reverse("admin:contact_inquiry_change", args=[inquiry.pk])
    ).content.decode()

    assert "Siri Salg" in html
    assert reverse("admin:auth_user_change", args=[sales_user.pk]) not in html


def test_the_assignee_is_named_as_notes_name_their_author(
    client, inquiry_factory, sales_user
):
    """Finding: the assignee showed the login name ("selger")."""
    inquiry_factory(assigned_to=sales_user)
    login_with_second_factor(client, sales_user)
    changelist = reverse("admin:contact_inquiry_changelist")

    listed = client.get(changelist).content.decode()
    inquiry = reverse("admin:contact_inquiry_change", args=[Inquiry.objects.get().pk])
    form = client.get(inquiry).content.decode()

    assert '<td class="field-assignee">Siri Salg</td>' in listed
    assert ">selger<" not in listed
    assert f'<option value="{sales_user.pk}" selected>Siri Salg</option>' in form
