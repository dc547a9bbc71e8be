"""Initial reference data, editable afterwards: the two QPV of Calais and the ASP exit reasons.

Public sources give part of the ASP's list of reasons; direction completes it in the admin.
"""

QPV = [("Beau-Marais", "Calais"), ("Fort-Nieulay", "Calais")]

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


def load(neighbourhood_model, reason_model) -> None:
    """Create the missing entries (never overwrites what staff changed)."""
    for name, city in QPV:
        neighbourhood_model.objects.get_or_create(name=name, city=city)
    for order, (code, label, category) in enumerate(EXIT_REASONS, start=1):
        reason_model.objects.get_or_create(
            code=code, defaults={"label": label, "category": category, "order": order * 10}
        )


def ensure() -> None:
    """Load the reference data with the current models (demo data, tests after a flush)."""
    from insertion.models import ExitReason, PriorityNeighbourhood

    load(PriorityNeighbourhood, ExitReason)
