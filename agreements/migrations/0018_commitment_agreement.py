# A commitment keeps its agreement on its row (Commitment.agreement), so that the lists of a user's agreements
# read one index instead of joining every item. The database holds the copy true: on PostgreSQL two composite
# foreign keys make (item, agreement) one of the item's and (responsible party, agreement) one of the party's.
# The second also puts in the database what Commitment.clean() asked only of forms: the responsible party is a
# party of the same agreement. SQLite (`make run` on a laptop) gets the column and the index, not the keys.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

POSTGRES_FORWARD = [
    # What a composite foreign key refers to must be unique as a whole: trivially so, the id alone is.
    "ALTER TABLE agreements_cooperationitem ADD CONSTRAINT cooperationitem_id_agreement UNIQUE (id, agreement_id)",
    "ALTER TABLE agreements_party ADD CONSTRAINT party_id_agreement UNIQUE (id, agreement_id)",
    # Deferred to the commit, as Django's own foreign keys are: a deletion or a copy may write rows in any order.
    """
    ALTER TABLE agreements_commitment ADD CONSTRAINT commitment_item_same_agreement
        FOREIGN KEY (item_id, agreement_id) REFERENCES agreements_cooperationitem (id, agreement_id)
        DEFERRABLE INITIALLY DEFERRED
    """,
    """
    ALTER TABLE agreements_commitment ADD CONSTRAINT commitment_party_same_agreement
        FOREIGN KEY (responsible_party_id, agreement_id) REFERENCES agreements_party (id, agreement_id)
        DEFERRABLE INITIALLY DEFERRED
    """,
]
POSTGRES_BACKWARD = [
    "ALTER TABLE agreements_commitment DROP CONSTRAINT IF EXISTS commitment_party_same_agreement",
    "ALTER TABLE agreements_commitment DROP CONSTRAINT IF EXISTS commitment_item_same_agreement",
    "ALTER TABLE agreements_party DROP CONSTRAINT IF EXISTS party_id_agreement",
    "ALTER TABLE agreements_cooperationitem DROP CONSTRAINT IF EXISTS cooperationitem_id_agreement",
]


def copy_agreements(apps, schema_editor):
    items = apps.get_model("agreements", "CooperationItem").objects
    commitments = apps.get_model("agreements", "Commitment").objects
    commitments.update(agreement_id=Subquery(items.filter(pk=OuterRef("item_id")).values("agreement_id")[:1]))
    if schema_editor.connection.vendor == "postgresql":
        # The new key's checks now, not at the commit: PostgreSQL alters no table with checks still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def same_agreement_keys(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD)


def drop_same_agreement_keys(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0017_commitment_due_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="agreement",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="agreements.agreement",
                verbose_name="thỏa thuận",
            ),
        ),
        migrations.RunPython(copy_agreements, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitment",
            name="agreement",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="agreements.agreement",
                verbose_name="thỏa thuận",
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["agreement", "due_on", "id"], name="commitment_agreement_due"),
        ),
        migrations.RunPython(same_agreement_keys, drop_same_agreement_keys),
    ]
