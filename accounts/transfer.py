"""Export one organizer's data as JSON, and import it back.

The file holds the organizer (password hash included) and every row they
own: buyers, projects, sets, numbers, payments, history, prizes, draws and
the draws' frozen lists, each with all its fields, times and refs. Rows are
written in primary-key order, one model at a time, so a large project is
streamed to the file rather than held in memory.

An import creates new rows with new internal ids and rewires every link,
so it works on any database: a new server, or this one after the organizer
was deleted. Refs, times, seeds and verification links come back as they
were. Someone other than the organizer who recorded a change (a staff
member in the admin) is kept by user name: matched to that user on the
target database, or created there as an inactive account without a
password.
"""

import contextlib
import json
import logging

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMAT = "raffle-manager organizer"
VERSION = 1
CHUNK = 2000

# In the order an import creates them: each model's links point up the list.
# `owner` is the filter, from the model to its organizer.
MODELS = [
    ("buyers.Buyer", "owner"),
    ("projects.Project", "owner"),
    ("raffles.RaffleSet", "project__owner"),
    ("raffles.Raffle", "project__owner"),
    ("raffles.Payment", "raffle__project__owner"),
    ("raffles.Prize", "project__owner"),
    ("raffles.WithdrawnPlan", "project__owner"),
    ("raffles.Draw", "project__owner"),
    ("raffles.DrawListPart", "draw__project__owner"),
    ("raffles.RaffleEvent", "project__owner"),
]
USER_FIELDS_LEFT_OUT = {"groups", "user_permissions"}
# Columns computed from others, computed again on import: a file written
# before they existed has none, and an edited file may disagree.
DERIVED = {"buyers.buyer": "refresh_search_text"}


def export_organizer(user, stream):
    """Write `user`'s data to the text stream `stream` as one JSON document."""
    actors = {}
    stream.write(
        "{"
        f'"format": {json.dumps(FORMAT)}, "version": {VERSION}, '
        f'"exported_at": {json.dumps(timezone.now(), cls=DjangoJSONEncoder)},\n'
    )
    stream.write(f'"organizer": {_dumps(_user_row(user))},\n"objects": {{')
    for index, (label, owner) in enumerate(MODELS):
        model = apps.get_model(label)
        separator = ",\n" if index else "\n"
        stream.write(f"{separator}{json.dumps(label.lower())}: [")
        rows = model.objects.filter(**{owner: user}).order_by("pk")
        _write_rows(stream, rows, actors, user)
        stream.write("]")
    stream.write("},\n")
    stream.write(f'"users": {_dumps(actors)}}}\n')
    logger.info("Exported organizer %s", user.pk)


def _write_rows(stream, rows, actors, owner):
    user_links = _user_links(rows.model)
    first = True
    for chunk in _chunks(rows):
        for row in serializers.serialize("python", chunk):
            for field in user_links:
                pk = row["fields"][field]
                if pk != owner.pk and pk not in actors:
                    actors[pk] = _username(pk)
            stream.write(("\n" if first else ",\n") + _dumps(row))
            first = False


def _chunks(rows):
    """Rows in primary-key order, CHUNK at a time, each chunk one query."""
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _user_row(user):
    row = serializers.serialize("python", [user])[0]
    for name in USER_FIELDS_LEFT_OUT:
        row["fields"].pop(name, None)
    return row


def _username(pk):
    User = apps.get_model("accounts.User")
    return User.objects.filter(pk=pk).values_list("username", flat=True).get()


def _user_links(model):
    User = apps.get_model("accounts.User")
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def import_organizer(document, username=None):
    """Create the organizer of an exported `document` (a parsed JSON object)
    with all their rows, in one transaction. Returns the new user.

    `username` imports them under another user name. Refused, changing
    nothing, when that user name or one of the draws' verification links
    is taken already.
    """
    _check_format(document)
    User = apps.get_model("accounts.User")
    organizer = document["organizer"]
    fields = dict(organizer["fields"])
    if username:
        fields["username"] = username
    if User.objects.filter(username=fields["username"]).exists():
        raise ValidationError(
            "An organizer named %(name)s exists already.",
            params={"name": fields["username"]},
            code="exists",
        )
    objects = document["objects"]
    _check_tokens(objects.get("raffles.draw", []))
    with transaction.atomic(), _keeping_times():
        user = _create_user(organizer, fields)
        ids = {"accounts.user": {organizer["pk"]: user.pk}}
        _map_actors(ids["accounts.user"], document.get("users", {}))
        for label, _owner in MODELS:
            _create_rows(label.lower(), objects.get(label.lower(), []), ids)
    logger.info("Imported organizer %s as %s", organizer["pk"], user.pk)
    return user


def _check_format(document):
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or document.get("version") != VERSION
    ):
        raise ValidationError(
            "This is not an organizer export of version %(version)s.",
            params={"version": VERSION},
            code="format",
        )


def _check_tokens(draws):
    Draw = apps.get_model("raffles.Draw")
    tokens = [row["fields"]["token"] for row in draws]
    if Draw.objects.filter(token__in=tokens).exists():
        raise ValidationError(
            "Draws of this export are in the database already: was the "
            "organizer imported before?",
            code="exists",
        )


def _create_user(organizer, fields):
    row = {"model": organizer["model"], "fields": fields}
    (user,) = serializers.deserialize("python", [row])
    user.object.pk = None
    user.object.save()
    return user.object


def _map_actors(users, actors):
    """Link the other users who acted on the data, by user name."""
    User = apps.get_model("accounts.User")
    for pk, username in actors.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, is_active=False, password=make_password(None)
            )
        users[int(pk)] = user.pk


def _create_rows(label, rows, ids):
    """Create one model's rows with new ids, their links rewired to `ids`."""
    model = apps.get_model(label)
    links = [
        (field.attname, field.related_model._meta.label_lower)
        for field in model._meta.concrete_fields
        if field.is_relation
    ]
    mapping = ids.setdefault(label, {})
    derive = DERIVED.get(label)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        made = list(serializers.deserialize("python", chunk))
        for item in made:
            item.object.pk = None
            for attname, target in links:
                old = getattr(item.object, attname)
                if old is not None:
                    setattr(item.object, attname, ids[target][old])
            if derive:
                getattr(item.object, derive)()
        model.objects.bulk_create([item.object for item in made])
        for row, item in zip(chunk, made, strict=True):
            mapping[row["pk"]] = item.object.pk
            for name, pks in (item.m2m_data or {}).items():
                target = model._meta.get_field(name).related_model
                getattr(item.object, name).set(
                    [ids[target._meta.label_lower][pk] for pk in pks]
                )


@contextlib.contextmanager
def _keeping_times():
    """Let the rows keep their own created and updated times: auto_now
    fields would stamp the time of the import instead."""
    changed = []
    for label, _owner in MODELS:
        for field in apps.get_model(label)._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(field, flag, False):
                    setattr(field, flag, False)
                    changed.append((field, flag))
    try:
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)
