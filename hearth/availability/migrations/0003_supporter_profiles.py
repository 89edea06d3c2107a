"""Supporter profiles with chosen values for matching; talk-now preferences as chosen values.

Existing free text is carried over sensibly:
- ``SupporterProfile.experience`` (comma-separated text) becomes a list of tags;
- every supporter (a volunteer, peer worker, counsellor or coordinator) gets a profile, its gender for matching
  folded from the words on their member profile ("Woman", "female" -> woman; anything unclear -> not said)
  and its age band copied;
- ``TalkRequest.prefer_gender`` (free text) is folded the same way.
"""

import re

from django.db import migrations, models

import hearth.availability.models

SUPPORTER_ROLES = ("volunteer", "peer_worker", "counsellor", "coordinator")

# A copy of hearth.availability.profiles._GENDER_WORDS as it was when this migration was written.
_WORDS = {
    **dict.fromkeys(["woman", "women", "female", "f", "w", "she", "she/her", "lady", "girl"], "woman"),
    **dict.fromkeys(["trans woman", "transwoman", "cis woman", "a woman"], "woman"),
    **dict.fromkeys(["man", "men", "male", "m", "he", "he/him", "guy", "boy"], "man"),
    **dict.fromkeys(["trans man", "transman", "cis man", "a man"], "man"),
    **dict.fromkeys(
        ["non-binary", "nonbinary", "non binary", "nb", "enby", "genderqueer", "agender", "genderfluid", "they/them"],
        "non-binary",
    ),
    **dict.fromkeys(["a non-binary person", "non-binary person"], "non-binary"),
}


def fold(words):
    return _WORDS.get(re.sub(r"\s+", " ", (words or "").strip().lower()), "")


def forwards(apps, schema_editor):
    Profile = apps.get_model("availability", "SupporterProfile")
    RoleGrant = apps.get_model("members", "RoleGrant")
    Member = apps.get_model("members", "Member")
    TalkRequest = apps.get_model("availability", "TalkRequest")
    for profile in Profile.objects.select_related("member"):
        profile.experience = [t.strip() for t in (profile.experience_text or "").split(",") if t.strip()]
        profile.gender = fold(profile.member.gender)
        profile.age_band = profile.member.age_band or ""
        profile.save(update_fields=["experience", "gender", "age_band"])
    have = set(Profile.objects.values_list("member_id", flat=True))
    supporter_ids = set(RoleGrant.objects.filter(role__in=SUPPORTER_ROLES).values_list("member_id", flat=True))
    Profile.objects.bulk_create(
        [
            Profile(
                member=m,
                gender=fold(m.gender),
                age_band=m.age_band or "",
                modes=["text", "phone", "video"],
                experience=[],
            )
            for m in Member.objects.filter(pk__in=supporter_ids - have)
        ]
    )
    for request in TalkRequest.objects.exclude(prefer_gender=""):
        request.prefer_gender = fold(request.prefer_gender)
        request.save(update_fields=["prefer_gender"])
    if schema_editor.connection.vendor == "postgresql":
        # The profiles made above queued their (deferred) foreign-key checks, and PostgreSQL refuses to ALTER a
        # table with pending trigger events ("cannot ALTER TABLE ... because it has pending trigger events"): the
        # operations after this one alter these tables. Run the checks now, then defer again as Django does. The
        # migration stays one transaction (a failure leaves nothing half done).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def backwards(apps, schema_editor):
    Profile = apps.get_model("availability", "SupporterProfile")
    for profile in Profile.objects.all():
        profile.experience_text = ", ".join(profile.experience or [])[:200]
        profile.save(update_fields=["experience_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("availability", "0002_conversation_room"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("supporterprofile", "experience", "experience_text"),
        migrations.AddField(
            model_name="supporterprofile",
            name="experience",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Short tags.",
                verbose_name="lived experience they're happy to be matched on",
            ),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="languages",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="modes",
            field=models.JSONField(
                blank=True, default=hearth.availability.models.all_modes, verbose_name="ways they can talk"
            ),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Prefer not to say"),
                    ("woman", "A woman"),
                    ("man", "A man"),
                    ("non-binary", "A non-binary person"),
                ],
                max_length=12,
                verbose_name="gender for matching",
            ),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="age_band",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Prefer not to say"),
                    ("18-24", "18 to 24"),
                    ("25-34", "25 to 34"),
                    ("35-49", "35 to 49"),
                    ("50-64", "50 to 64"),
                    ("65+", "65 and over"),
                ],
                max_length=5,
                verbose_name="age band for matching",
            ),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="max_hours_per_week",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="Open shifts are offered only while they're under this.", null=True
            ),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="preferred_days",
            field=models.JSONField(blank=True, default=list, help_text="Weekday numbers, Monday = 0."),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="preferred_times",
            field=models.JSONField(blank=True, default=list, help_text="TimeOfDay values."),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="away_until",
            field=models.DateField(
                blank=True, help_text="Taking a break: no open shifts are offered before this date.", null=True
            ),
        ),
        migrations.AddField(
            model_name="supporterprofile",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="talkrequest",
            name="prefer_language",
            field=models.CharField(blank=True, choices=hearth.availability.models.LANGUAGES, max_length=40),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("supporterprofile", "experience_text"),
        migrations.AlterField(
            model_name="talkrequest",
            name="prefer_gender",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Prefer not to say"),
                    ("woman", "A woman"),
                    ("man", "A man"),
                    ("non-binary", "A non-binary person"),
                ],
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="talkrequest",
            name="prefer_age_band",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Prefer not to say"),
                    ("18-24", "18 to 24"),
                    ("25-34", "25 to 34"),
                    ("35-49", "35 to 49"),
                    ("50-64", "50 to 64"),
                    ("65+", "65 and over"),
                ],
                max_length=5,
            ),
        ),
    ]
