"""Initial reference data: the two QPV of Calais and the ASP exit reasons (both editable)."""

from django.db import migrations

QPV = [("Beau-Marais", "Calais"), ("Fort-Nieulay", "Calais")]

# Public sources give part of the ASP list; direction completes it in the admin.
EXIT_REASONS = [
    ("cdi", "CDI (aidé ou non)", "durable"),
    ("cdd-6-mois-plus", "CDD ou intérim de 6 mois ou plus", "durable"),
    ("fonction-publique", "Stage ou titularisation dans la fonction publique", "durable"),
    ("creation-entreprise", "Création ou reprise d'entreprise", "durable"),
    ("cdd-moins-6-mois", "CDD ou intérim de moins de 6 mois (hors IAE)", "transition"),
    ("contrat-aide", "Contrat aidé chez un employeur de droit commun", "transition"),
    ("formation-qualifiante", "Entrée ou poursuite en formation qualifiante", "positive"),
    ("autre-siae", "Embauche en CDD dans une autre structure d'insertion", "positive"),
    ("autre-positive", "Autre sortie reconnue comme positive", "positive"),
    ("chomage", "Au chômage", "other"),
    ("inactif", "Inactif·ve", "other"),
    ("sans-nouvelles", "Sans nouvelles", "other"),
    ("retraite", "Départ à la retraite", "withdrawn"),
    ("decision-judiciaire", "Décision administrative ou judiciaire", "withdrawn"),
    ("faute-grave", "Licenciement pour faute grave", "withdrawn"),
    ("changement-employeur", "Changement d'employeur (transfert)", "withdrawn"),
    ("sortie-automatique", "Sortie automatique", "withdrawn"),
]


def load(apps, schema_editor):
    neighbourhood = apps.get_model("insertion", "PriorityNeighbourhood")
    reason = apps.get_model("insertion", "ExitReason")
    for name, city in QPV:
        neighbourhood.objects.get_or_create(name=name, city=city)
    for order, (code, label, category) in enumerate(EXIT_REASONS, start=1):
        reason.objects.get_or_create(
            code=code, defaults={"label": label, "category": category, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("insertion", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
